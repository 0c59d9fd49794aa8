"""tstats: statistics over a data model's datasets (or the events' indexed fields).

spl_lite's data models have no accelerated summaries, so tstats does what Splunk does for an
unaccelerated model: it runs the dataset's constraint searches and calculations over the events,
names the model's fields as ``Dataset.field`` and aggregates them as stats does. Without a data
model it sees only the indexed fields: _time, index, sourcetype, source and host.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..datamodels import BASE_FIELDS, Calculation, Constraint, Dataset
from ..errors import SplError
from ..runtime.aggregation import split_stats_items
from ..runtime.expressions import compile_expr
from ..runtime.search_terms import TimeRange, compile_search
from ..runtime.values import copy_event, get_field
from ..store.memory import ScanRequest
from ..store.prefilter import named_fields
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, to_text
from .bin import BinCommand
from .stats import StatsCommand

INDEXED = ("_time", "index", "sourcetype", "source", "host", "splunk_server")


@dataclass(frozen=True)
class TstatsCommand(Command):
    """Statistics over a data model's dataset (count, dc, values, ... BY Dataset.field), or over
    the indexed fields of every event when no model is named."""

    name: ClassVar[str] = "tstats"
    kind: ClassVar[Kind] = Kind.GENERATING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = ("| tstats [prestats=<bool>] [summariesonly=<bool>] [fillnull_value=<text>] <functions> "
                             "[FROM datamodel=<model>[.<dataset>]] [WHERE <search terms>] [BY <fields> [span=<time>]]")
    example: ClassVar[str] = ("| tstats count from datamodel=Authentication where Authentication.action=failure "
                              "by Authentication.user")
    # summariesonly and allow_old_summaries choose among accelerated summaries; with none, the
    # events themselves are read, as Splunk does for a model that is not accelerated.
    options: ClassVar[dict] = {"prestats": to_bool, "summariesonly": to_bool, "allow_old_summaries": to_bool,
                               "fillnull_value": to_text, "local": to_bool, "append": to_bool,
                               "chunk_size": to_int, "include_reduced_buckets": to_bool, "span": to_text}

    aggregates: tuple = ()
    datamodel: str | None = None
    where: object = None
    by: tuple = ()
    span_text: str | None = None
    prestats: bool = False
    fillnull: str | None = None
    from_span: object = None

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        datamodel, from_span = None, None
        for item in args.items:
            if isinstance(item, ast.FromClause):
                target, from_span = item.target, item.span
                if isinstance(target, ast.Option) and target.name.lower() == "datamodel":
                    datamodel, from_span = target.value, target.value_span or item.span
                else:
                    text = target.text if isinstance(target, ast.Word) else f"{target.name}={target.value}"
                    raise cls.error(f"tstats reads data models (FROM datamodel=<name>); '{text}' is a tscollect "
                                    "namespace or job, which spl_lite does not have.", item.span)
        where = next((i for i in args.items if not isinstance(
            i, (ast.Option, ast.StatsAgg, ast.ByClause, ast.FromClause))), None)
        aggs, by = split_stats_items(cls, args)
        return cls(args.span, tuple(aggs), datamodel, where, by, opts.get("span"), opts.get("prestats", False),
                   opts.get("fillnull_value"), from_span)

    def fields_read(self):
        return None

    def prepare(self, env):
        dataset, where = self._dataset(env)
        steps = _compile_steps(dataset.steps, dataset, env, self.span) if dataset else []
        below = {lineage: _compile_steps(extra, dataset, env, self.span)
                 for _, lineage, extra in dataset.below.values()} if dataset else {}
        where_test, where_range = compile_search(where, env, command=self.name, leading=True)
        names = self._row_fields(where, dataset)
        stats = StatsCommand(self.span, self.aggregates, self.by).prepare(env)
        binned = BinCommand(self.span, "_time", None, self.span_text).prepare(env) \
            if self.span_text and "_time" in self.by else None
        fill = self.fillnull

        root, steps = (steps[0][2], steps[1:]) if steps and steps[0][0] == "search" else (None, steps)
        test, _ = compile_search(root, env, command=self.name, leading=True)
        request = ScanRequest(root, TimeRange(where_range.earliest, where_range.latest), test,
                              lambda node: compile_search(node, env, leading=True)[0])

        def run(events, ctx):
            rows = _rows(ctx.engine.store.scan(request), dataset, steps, below, names)
            rows = (r for r in rows if _in_range(r, where_range) and where_test(r))
            if binned is not None:
                rows = binned(rows, ctx)
            if fill is not None:
                rows = _filled(rows, self.by, fill)
            if self.prestats:
                ctx.tabular = True
                return rows
            return stats(rows, ctx)
        return run

    def _dataset(self, env) -> tuple[Dataset | None, object]:
        """The dataset searched and the WHERE terms left once a nodename= term has chosen a child."""
        if self.datamodel is None:
            return None, self.where
        models = env.engine.datamodels
        dataset = models.dataset(self.datamodel, self.from_span)
        terms = self.where.terms if isinstance(self.where, ast.And) else (self.where,) if self.where else ()
        node = next((t for t in terms if isinstance(t, ast.FieldMatch) and t.field.lower() == "nodename"
                     and t.op in ("=", "==")), None)
        if node is not None:
            dataset = models.dataset(f"{dataset.model}.{node.value}", node.span)
            rest = tuple(t for t in terms if t is not node)
            return dataset, (rest[0] if len(rest) == 1 else ast.And(rest, self.where.span) if rest else None)
        return dataset, self.where

    def _row_fields(self, where, dataset) -> tuple | None:
        """The names each row needs (WHERE, BY and the functions' fields); None: every field."""
        names = set(self.by)
        for agg in self.aggregates:
            if isinstance(agg.arg, ast.Word):
                names.add(agg.arg.text)
            elif agg.arg is not None:
                return None
        found = named_fields(where) if where is not None else set()
        if found is None or self.prestats or any("*" in n for n in names):
            return None
        return tuple(sorted(names | found))


def _compile_steps(steps, dataset: Dataset, env, span) -> list:
    """Each constraint as a search-term test and each calculation as an expression, in order."""
    from ..syntax.macros import expand
    from ..syntax.parser import parse, parse_expression
    out = []
    for step in steps:
        try:
            if isinstance(step, Constraint):
                terms = parse(expand(step.search, env.engine.macros)).leading
                test, _ = compile_search(terms, env, command="tstats", leading=True)
                out.append(("search", test, terms))
            elif isinstance(step, Calculation):
                out.append(("eval", step.output, compile_expr(parse_expression(step.expression), env)))
        except SplError as e:
            raise SplError(f"The data model {dataset.model} ({dataset.lineage}) does not compile: {e.message}",
                           command="tstats", span=span) from None
    return out


def _rows(events, dataset, steps, below, names):
    """One row per event of the dataset: the model's fields named as tstats names them."""
    for ev in events:
        if dataset is not None:
            ev = _through(ev, steps)
            if ev is None:
                continue
            fields = names if names is not None else tuple(dataset.fields) + BASE_FIELDS + tuple(dataset.below)
            row = {}
            in_child: dict = {}
            for name in fields:
                source = dataset.source_field(name)
                if source is not None:
                    row[name] = get_field(ev, source)
                elif name in dataset.below:
                    source, lineage, _ = dataset.below[name]
                    if lineage not in in_child:
                        in_child[lineage] = _through(ev, below[lineage])
                    child_ev = in_child[lineage]
                    row[name] = None if child_ev is None else get_field(child_ev, source)
                else:
                    row[name] = None
        else:
            fields = names if names is not None else INDEXED
            row = {name: get_field(ev, name) if name in INDEXED else None for name in fields}
        if "_time" not in row:
            row["_time"] = get_field(ev, "_time")
        yield row


def _through(ev, steps):
    """The event with the dataset's calculations, or None when a constraint excludes it."""
    copied = False
    for step in steps:
        if step[0] == "search":
            if not step[1](ev):
                return None
        else:
            if not copied:
                ev, copied = copy_event(ev), True
            ev[step[1]] = step[2](ev)
    return ev


def _in_range(row, tr: TimeRange) -> bool:
    t = row.get("_time")
    if tr.earliest is not None and (t is None or t < tr.earliest):
        return False
    return not (tr.latest is not None and (t is None or t >= tr.latest))


def _filled(rows, by, value):
    """fillnull_value: a BY field with no value takes this one, so its events still count."""
    for r in rows:
        for f in by:
            if r.get(f) is None:
                r[f] = value
        yield r
