"""What stats, eventstats, streamstats, top and chart share: aggregate specs and BY groups."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable

from ..errors import SplError, did_you_mean
from ..functions import stats_functions
from ..syntax import ast
from .expressions import compile_expr
from .sparkline import Sparkline, sparkline_factory
from ..runtime.values import field_getter, sort_key_auto, to_number, values_of


@dataclass
class AggSpec:
    """One aggregate of a stats call: how to make its state, what it reads, its column name."""
    column: str
    factory: type
    feed: Callable  # (state, event) -> None

    def new(self):
        return self.factory()


def compile_aggregates(aggs, env, command: str, allnum: bool = False) -> list[AggSpec]:
    specs: list[AggSpec] = []
    columns: set[str] = set()
    for agg in aggs:
        if agg.func.lower() == "sparkline":
            cls, arg = sparkline_factory(agg, command)
            column = _column(agg, columns, command)
            specs.append(AggSpec(column, cls, _feeder(arg, env, command)))
            continue
        if isinstance(agg.arg, ast.SparklineArg):  # dc(count(x), 1h): a function and a span
            raise SplError(f"The argument '{agg.text}' is invalid: only sparkline takes a function and a span, "
                           f"as in sparkline(count(x), 1h).", command=command, span=agg.span)
        cls = stats_functions.lookup(agg.func)
        if cls is not None and allnum:
            cls = stats_functions.all_numeric(cls)
        if cls is None:
            hint = did_you_mean(agg.func, stats_functions.known_names())
            raise SplError(f"The argument '{agg.text}' is invalid: '{agg.func}' is not a stats function.",
                           command=command, span=agg.span, hint=hint)
        if agg.arg is None and cls.takes_field:
            raise SplError(f"The '{agg.func}' function needs a field: {agg.func}(<field>).",
                           command=command, span=agg.span)
        specs.append(AggSpec(_column(agg, columns, command), cls, _feeder(agg.arg, env, command)))
    return specs


def _column(agg, columns: set, command: str) -> str:
    column = agg.alias or agg.text
    if column in columns:
        raise SplError(f"The output field '{column}' is given twice; rename one with AS.",
                       command=command, span=agg.span)
    columns.add(column)
    return column


def sparkline_columns(specs: list[AggSpec]) -> list[str]:
    return [s.column for s in specs if issubclass(s.factory, Sparkline)]


def _feeder(arg, env, command):
    if arg is None:
        def feed_event(state, ev):
            state.add(None, ev.get("_time"))
        return feed_event
    if isinstance(arg, ast.ExprArg):
        fn = compile_expr(arg.expr, env, command)

        def feed_expr(state, ev):
            v = fn(ev)
            # count(eval(x>1)) counts the events where the expression is true.
            if v is None or v is False:
                return
            for x in values_of(v):
                state.add(x, ev.get("_time"))
        return feed_expr
    get = field_getter(arg.text)

    def feed_field(state, ev):
        v = get(ev)
        if v is None:
            return
        t = ev.get("_time")
        if type(v) is list:
            for x in v:
                state.add(x, t)
        else:
            state.add(v, t)
    return feed_field


def key_function(by: tuple[str, ...]):
    """A function event -> the BY groups it belongs to: none if a BY field is null, one per
    combination of values (a multivalue BY field counts the event under each value)."""
    getters = [field_getter(f) for f in by]
    if not getters:
        return lambda ev: [()]
    if len(getters) == 1:
        get = getters[0]

        def one(ev):
            v = get(ev)
            if v is None:
                return ()
            if type(v) is list:
                return [(x,) for x in v]
            return ((v,),)
        return one

    if len(getters) == 2:
        g1, g2 = getters

        def two(ev):
            a = g1(ev)
            if a is None:
                return ()
            b = g2(ev)
            if b is None:
                return ()
            if type(a) is list or type(b) is list:
                return list(itertools.product(values_of(a), values_of(b)))
            return ((a, b),)
        return two

    def several(ev):
        parts = []
        single = True
        for get in getters:
            v = get(ev)
            if v is None:
                return ()
            if type(v) is list:
                single = False
                parts.append(v)
            else:
                parts.append((v,))
        if single:
            return (tuple(p[0] for p in parts),)
        return list(itertools.product(*parts))
    return several


def group_keys(ev, by: tuple[str, ...]) -> list[tuple]:
    return list(key_function(by)(ev))


def rank_series(results: dict, limit: int) -> tuple[list, list]:
    """(kept, rest): the series of a chart by the sum of their first aggregate, largest first,
    ties by name; the first ``limit`` are kept (0: all), the rest go to OTHER."""
    totals: dict = {}
    for (_, series), vals in results.items():
        n = to_number(vals[0])
        totals[series] = totals.get(series, 0) + (n if n is not None else 0)
    ranked = sorted(totals, key=lambda s: (-totals[s], "" if s is None else s))
    return (ranked[:limit], ranked[limit:]) if limit else (ranked, [])


def other_cell(results: dict, row, rest: list, index: int, fill):
    """The OTHER column's value in a row: the sum of the series that were not kept."""
    nums = [to_number(results[(row, s)][index]) for s in rest if (row, s) in results]
    return sum(n for n in nums if n is not None) if nums else fill


def group_order(key: tuple) -> tuple:
    return tuple(sort_key_auto(k) for k in key)


def split_stats_items(cls, args):
    """Aggregates and BY fields from a stats-like command's arguments."""
    items = args.items
    aggs = [i for i in items if isinstance(i, ast.StatsAgg)]
    by = next((i for i in items if isinstance(i, ast.ByClause)), None)
    by_fields = tuple(w.text for w in by.fields) if by else ()
    if not aggs:
        raise cls.error("Missing a stats function, e.g. count or dc(<field>).", args.name_span)
    return aggs, by_fields
