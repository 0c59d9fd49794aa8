"""timechart: aggregates per time bucket, one column per series of the BY field."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime import timeutil
from ..compiler.aggregation import compile_aggregates, other_cell, rank_series, split_stats_items
from ..runtime.values import field_getter, to_number, to_string, values_of
from .base import Command, Kind, to_bool, to_int, to_text
from .bin import TIME_SPANS
from ..columnar.stats import timechart_cells

DEFAULT_BINS = 100  # the newer docs' default; 8.2's bnf says 300 (semantics.md §9.5)


@dataclass(frozen=True)
class TimechartCommand(Command):
    """Aggregate over time buckets: a row per bucket, a column per aggregate or BY value."""

    columns: ClassVar[str] = "table"
    name: ClassVar[str] = "timechart"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = ("timechart [span=<span>|bins=<N>] [limit=<N>] [useother=<bool>] [usenull=<bool>] "
                             "[cont=<bool>] <function>(<field>) ... [BY <field>]")
    example: ClassVar[str] = "timechart span=1h count BY eventSource"
    options: ClassVar[dict] = {"span": to_text, "bins": to_int, "limit": to_int, "useother": to_bool,
                               "usenull": to_bool, "cont": to_bool, "otherstr": to_text, "nullstr": to_text,
                               "partial": to_bool, "fixedrange": to_bool, "minspan": to_text}

    ignored_options: ClassVar[frozenset] = frozenset({"partial", "fixedrange", "minspan"})

    aggregates: tuple = ()
    by: tuple[str, ...] = ()
    opts: tuple = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        aggs, by = split_stats_items(cls, args)
        if len(by) > 1:
            raise cls.error("timechart takes at most one BY field.", args.span)
        if opts.get("span") is not None and timeutil.parse_span(opts["span"]) is None:
            raise cls.error(f"Invalid span '{opts['span']}'. Use a time such as 30s, 5m, 1h, 1d.", args.span)
        return cls(args.span, tuple(aggs), by, tuple(sorted(opts.items())))

    def fields_written(self):
        return frozenset(a.alias or a.text for a in self.aggregates)

    def prepare(self, env):
        o = dict(self.opts)
        specs = compile_aggregates(self.aggregates, env, self.name)
        split = field_getter(self.by[0]) if self.by else None
        limit, useother, usenull = o.get("limit", 10), o.get("useother", True), o.get("usenull", True)
        other, null = o.get("otherstr", "OTHER"), o.get("nullstr", "NULL")
        get_time = field_getter("_time")

        def span_for(low, high):
            if o.get("span"):
                return timeutil.parse_span(o["span"])
            width, bins = high - low, o.get("bins", DEFAULT_BINS)
            return next(((s, "s") for s in TIME_SPANS if width / s < bins), (TIME_SPANS[-1], "s"))

        def by_event(events):
            events = [ev for ev in events if to_number(get_time(ev)) is not None]
            if not events:
                return None
            times = [to_number(get_time(ev)) for ev in events]
            span = span_for(min(times), max(times))
            cells: dict[tuple, list] = {}
            for ev, t in zip(events, times):
                bucket = timeutil.floor_time(t, span)
                series_values = [None]
                if split is not None:
                    v = split(ev)
                    series_values = [to_string(x) for x in values_of(v)] or ([null] if usenull else [])
                for series in series_values:
                    states = cells.get((bucket, series))
                    if states is None:
                        states = cells[(bucket, series)] = [s.new() for s in specs]
                    for spec, st in zip(specs, states):
                        spec.feed(st, ev)
            return {k: [st.result() for st in sts] for k, sts in cells.items()}, span

        def run(events, ctx):
            ctx.tabular = True
            made = timechart_cells(events, self.by, self.aggregates, specs, span_for, usenull, null)
            made = by_event(events) if made is None else made
            if not made or not made[0]:
                return  # no event has a time, or none has the BY field and usenull=f
            results, span = made
            kept, rest = rank_series(results, limit if split is not None else 0)
            buckets = sorted({b for b, _ in results})
            if o.get("cont", True) and span[1] == "s":
                first, last = buckets[0], buckets[-1]
                if (last - first) // span[0] + 1 > limits.current().max_bins:
                    raise limits.exceeded("max_bins", f"span={o['span'] if o.get('span') else span[0]} "
                                          f"makes {int((last - first) // span[0]) + 1:,} time buckets",
                                          command="timechart", span=self.span)
                buckets = [first + i * span[0] for i in range(int((last - first) // span[0]) + 1)]
            fill = 0 if all(s.factory.__name__ in ("Count", "DistinctCount") for s in specs) else None
            for b in buckets:
                row = {"_time": int(b) if b == int(b) else b}
                if split is None:
                    vals = results.get((b, None))
                    for i, spec in enumerate(specs):
                        row[spec.column] = vals[i] if vals else fill
                    yield row
                    continue
                for s in kept:
                    vals = results.get((b, s))
                    row[s if len(specs) == 1 else f"{specs[0].column}: {s}"] = vals[0] if vals else fill
                if rest and useother:
                    row[other] = other_cell(results, b, rest, 0, fill)
                yield row
        return run
