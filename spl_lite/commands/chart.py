"""chart: aggregates as a table, one row per value of one field and a column per value of another."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..compiler.aggregation import (compile_aggregates, group_order, other_cell, rank_series, sparkline_columns,
                                   split_stats_items)
from ..compiler.sparkline import finished
from ..runtime.values import field_getter, to_string, values_of
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, to_text

COUNTING = ("Count", "DistinctCount")  # aggregates whose empty cell reads 0, not null


@dataclass(frozen=True)
class ChartCommand(Command):
    """Aggregate into a table: a row per value of the OVER field, a column per value of the BY field."""

    name: ClassVar[str] = "chart"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = ("chart [limit=<N>] [useother=<bool>] [usenull=<bool>] <function>(<field>) ... "
                             "(OVER <row field> [BY <column field>] | BY <row field> [<column field>])")
    example: ClassVar[str] = "chart count OVER eventSource BY awsRegion"
    options: ClassVar[dict] = {"limit": to_int, "useother": to_bool, "usenull": to_bool, "otherstr": to_text,
                               "nullstr": to_text, "sep": to_text, "cont": to_bool}
    ignored_options: ClassVar[frozenset] = frozenset({"cont"})

    aggregates: tuple = ()
    row: str = ""
    column: str | None = None
    opts: tuple = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        aggs, by = split_stats_items(cls, args)
        over = next((i.field.text for i in args.items if isinstance(i, ast.OverClause)), None)
        fields = ([over] if over else []) + list(by)
        if not fields:
            return cls(args.span, tuple(aggs), "", None, tuple(sorted(opts.items())))
        if len(fields) > 2:
            raise cls.error("chart splits by at most two fields: OVER <row> BY <column>.", args.span)
        return cls(args.span, tuple(aggs), fields[0], fields[1] if len(fields) > 1 else None,
                   tuple(sorted(opts.items())))

    def fields_read(self):
        names = {n for n in (self.row, self.column) if n}
        inner = super().fields_read()
        return None if inner is None else frozenset(names) | inner

    def fields_written(self):
        return frozenset(a.alias or a.text for a in self.aggregates)

    def prepare(self, env):
        o = dict(self.opts)
        specs = compile_aggregates(self.aggregates, env, self.name)
        limit, useother, usenull = o.get("limit", 10), o.get("useother", True), o.get("usenull", True)
        other, null, sep = o.get("otherstr", "OTHER"), o.get("nullstr", "NULL"), o.get("sep", ": ")
        get_row = field_getter(self.row) if self.row else None
        get_col = field_getter(self.column) if self.column else None
        fill = 0 if all(s.factory.__name__ in COUNTING for s in specs) else None
        sparklines = sparkline_columns(specs)
        if sparklines and self.column:
            raise self.error("A sparkline goes in a chart split by one field only (chart sparkline BY <row>).",
                             self.span)

        def run(events, ctx):
            return finished(rows(events, ctx), sparklines)

        def rows(events, ctx):
            ctx.tabular = True
            cells: dict[tuple, list] = {}
            for ev in events:
                rows = [None] if get_row is None else values_of(get_row(ev))
                cols = [None] if get_col is None else \
                    ([to_string(c) for c in values_of(get_col(ev))] or ([null] if usenull else []))
                for r in rows:
                    for c in cols:
                        states = cells.get((r, c))
                        if states is None:
                            states = cells[(r, c)] = [s.new() for s in specs]
                        for spec, st in zip(specs, states):
                            spec.feed(st, ev)
            if get_row is None:  # no split: one row, like stats
                states = cells.get((None, None)) or [s.new() for s in specs]
                yield {spec.column: st.result() for spec, st in zip(specs, states)}
                return
            results = {k: [st.result() for st in sts] for k, sts in cells.items()}
            row_values = sorted({r for r, _ in results}, key=lambda r: group_order((r,)))
            if get_col is None:
                for r in row_values:
                    yield {self.row: r, **{s.column: v for s, v in zip(specs, results[(r, None)])}}
                return
            kept, rest = rank_series(results, limit)
            for r in row_values:
                row = {self.row: r}
                for i, spec in enumerate(specs):
                    for c in kept:
                        name = c if len(specs) == 1 else f"{spec.column}{sep}{c}"
                        vals = results.get((r, c))
                        row[name] = vals[i] if vals else fill
                    if rest and useother:
                        name = other if len(specs) == 1 else f"{spec.column}{sep}{other}"
                        row[name] = other_cell(results, r, rest, i, fill)
                yield row
        return run
