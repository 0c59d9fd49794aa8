"""stats: aggregate events into a table, one row per BY group."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..compiler.aggregation import (compile_aggregates, group_order, key_function, sparkline_columns,
                                   split_stats_items)
from ..compiler.sparkline import finished
from .base import Command, Kind, to_bool, to_text
from ..columnar.stats import stats_rows


@dataclass(frozen=True)
class StatsCommand(Command):
    """Aggregate events (count, dc, sum, avg, values, ...) into one row per BY group."""

    columns: ClassVar[str] = "table"
    name: ClassVar[str] = "stats"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = "stats <function>(<field>) [AS <name>] [, ...] [BY <field> [, <field>]...]"
    example: ClassVar[str] = "stats count, dc(eventName) AS apis BY userName, sourceIPAddress"
    options: ClassVar[dict] = {"allnum": to_bool, "delim": to_text, "dedup_splitvals": to_bool,
                               "partitions": to_text}

    ignored_options: ClassVar[frozenset] = frozenset({"delim", "partitions"})

    aggregates: tuple = ()
    by: tuple[str, ...] = ()
    dedup_splitvals: bool = False
    allnum: bool = False

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        aggs, by = split_stats_items(cls, args)
        return cls(args.span, tuple(aggs), by, opts.get("dedup_splitvals", False), opts.get("allnum", False))

    def fields_written(self):
        return frozenset(a.alias or a.text for a in self.aggregates)

    def prepare(self, env):
        specs = compile_aggregates(self.aggregates, env, self.name, allnum=self.allnum)
        by = self.by
        keys_of = key_function(by)
        count_only = by and all(a.arg is None and a.func.lower() in ("count", "c") for a in self.aggregates)

        sparklines = sparkline_columns(specs)

        def run(events, ctx):
            return finished(rows(events, ctx), sparklines)

        def rows(events, ctx):
            ctx.tabular = True
            rows = stats_rows(events, by, self.aggregates, specs)
            if rows is not None:
                yield from rows
                return
            groups: dict[tuple, list] = {}
            if not by:
                states = [s.new() for s in specs]
                for ev in events:
                    for spec, st in zip(specs, states):
                        spec.feed(st, ev)
                yield {spec.column: st.result() for spec, st in zip(specs, states)}
                return
            if count_only:
                # Only counts: one counter per group instead of a state object per aggregate.
                counts: dict[tuple, int] = {}
                for ev in events:
                    keys = keys_of(ev)
                    if self.dedup_splitvals:
                        keys = list(dict.fromkeys(keys))
                    for key in keys:
                        counts[key] = counts.get(key, 0) + 1
                for key in sorted(counts, key=group_order):
                    row = dict(zip(by, key))
                    for spec in specs:
                        row[spec.column] = counts[key]
                    yield row
                return
            for ev in events:
                keys = keys_of(ev)
                if self.dedup_splitvals:
                    keys = list(dict.fromkeys(keys))
                for key in keys:
                    states = groups.get(key)
                    if states is None:
                        states = groups[key] = [s.new() for s in specs]
                    for spec, st in zip(specs, states):
                        spec.feed(st, ev)
            for key in sorted(groups, key=group_order):
                row = dict(zip(by, key))
                for spec, st in zip(specs, groups[key]):
                    row[spec.column] = st.result()
                yield row
        return run
