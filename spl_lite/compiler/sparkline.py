"""The sparkline stats function of stats and chart: `sparkline`, `sparkline(count(user))`,
`sparkline(avg(bytes), 1h)`.

As Splunk writes it, a sparkline is a multivalue: "##__SPARKLINE__##", then the inner
function's value in each time bucket, oldest first, across the time the results cover (every
row of one search has the same buckets). Without a span, the span is the first of
limits.conf's sparkline_time_steps that keeps the buckets within sparkline_maxsize (100):
a day of events gives 30m buckets, 48 of them.
"""
from __future__ import annotations

from datetime import datetime, timezone

from .. import limits
from ..errors import SplError, did_you_mean
from ..functions import stats_functions
from ..functions.stats_sparkline import Sparkline
from ..syntax import ast
from ..runtime.timeutil import floor_time, parse_span

MARKER = "##__SPARKLINE__##"
# The functions Splunk's sparkline takes (sparkline-func in the chart command's reference).
FUNCTIONS = frozenset({"c", "count", "dc", "mean", "avg", "stdev", "stdevp", "var", "varp", "sum", "sumsq", "min",
                       "max", "range"})
# limits.conf [stats] sparkline_time_steps, its default.
TIME_STEPS = ("1s", "5s", "10s", "30s", "1m", "5m", "10m", "30m", "1h", "1d", "1mon")


def sparkline_factory(agg: ast.StatsAgg, command: str):
    """(state class, the inner function's argument) of a sparkline aggregate."""
    if command not in ("stats", "chart"):
        raise SplError("The sparkline function works only in stats and chart.", command=command, span=agg.span)
    arg = agg.arg
    if not isinstance(arg, ast.SparklineArg):
        raise SplError("A sparkline takes a stats function of a field: sparkline(avg(bytes), 1h).",
                       command=command, span=agg.span)
    inner = stats_functions.lookup(arg.func) if arg.func.lower() in FUNCTIONS else None
    if inner is None:
        raise SplError(f"The argument '{agg.text}' is invalid: '{arg.func}' is not a stats function for a sparkline.",
                       command=command, span=agg.span,
                       hint=did_you_mean(arg.func, sorted(FUNCTIONS)) or f"a sparkline takes {', '.join(sorted(FUNCTIONS))}")
    if isinstance(arg.field, ast.Word) and arg.field.text.lower().startswith("eval("):
        raise SplError("A sparkline's function takes a field, not eval(...).", command=command, span=agg.span)
    if arg.field is None and inner.takes_field:
        raise SplError(f"The '{arg.func}' function needs a field: sparkline({arg.func}(<field>)).",
                       command=command, span=agg.span)
    span = None
    if arg.span_text is not None:
        span = parse_span(arg.span_text)
        if span is None:
            raise SplError(f"The sparkline span '{arg.span_text}' is not a time span such as 30m or 1h.",
                           command=command, span=agg.span)
    state = type("Sparkline", (Sparkline,), {"inner": inner, "span": span})
    return state, arg.field


def finished(rows, columns: list[str]):
    """The rows a stats or chart made, their sparklines finished (all rows are needed first)."""
    return finish(list(rows), columns) if columns else rows


def finish(rows: list[dict], columns: list[str]) -> list[dict]:
    """Each sparkline cell as its multivalue, over the buckets all rows share."""
    if not columns or not rows:
        return rows
    for column in columns:
        states = [row[column] for row in rows if isinstance(row.get(column), Sparkline)]
        times = [t for st in states for t, _ in st.seen]
        if not states:
            continue
        span = states[0].span or _default_span(min(times, default=0), max(times, default=0))
        buckets = _buckets(min(times, default=0), max(times, default=0), span)
        index = {b: i for i, b in enumerate(buckets)}
        for row in rows:
            st = row.get(column)
            if not isinstance(st, Sparkline):
                continue
            cells: list = [None] * len(buckets)
            for t, v in st.seen:
                i = index[floor_time(t, span)]
                if cells[i] is None:
                    cells[i] = st.inner()
                cells[i].add(v, t)
            row[column] = [MARKER] + [_point(c, st.inner) for c in cells]
    return rows


def _point(cell, inner):
    value = (cell or inner()).result()
    return 0 if value is None else value


def _default_span(lo: float, hi: float) -> tuple:
    most = limits.current().sparkline_maxsize
    for step in TIME_STEPS:
        span = parse_span(step)
        if span is not None and len(_buckets(lo, hi, span, most + 1)) <= most:
            return span
    last = parse_span(TIME_STEPS[-1])
    assert last is not None  # TIME_STEPS are spans
    return last


def _buckets(lo: float, hi: float, span: tuple, stop: int | None = None) -> list[float]:
    """The start of each bucket from lo's to hi's (at most ``stop`` of them, when given)."""
    cap = limits.current().max_bins
    out, b = [], floor_time(lo, span)
    last = floor_time(hi, span)
    while b <= last:
        out.append(b)
        if stop is not None and len(out) >= stop:
            break
        if len(out) > cap:
            raise SplError(f"The sparkline's span makes more than {cap:,} buckets (limit max_bins={cap}).",
                           command="stats")
        b = _next(b, span)
    return out


def _next(b: float, span: tuple) -> float:
    n, unit = span
    if unit == "s":
        return b + n
    dt = datetime.fromtimestamp(b, timezone.utc)
    months = dt.year * 12 + dt.month - 1 + int(n)
    return datetime(months // 12, months % 12 + 1, 1, tzinfo=timezone.utc).timestamp()
