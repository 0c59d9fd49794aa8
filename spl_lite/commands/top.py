"""top and rare: the most or least common values of fields, with count and percent."""
from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from ..compiler.aggregation import group_keys, group_order
from ..runtime.values import get_field, values_of
from ..syntax import ast
from ..columnar.stats import top_counts
from .base import Command, Kind, to_bool, to_int, to_text


@dataclass(frozen=True)
class TopCommand(Command):
    """The most common values of fields, with their count and percent (default 10)."""

    columns: ClassVar[str] = "table"
    name: ClassVar[str] = "top"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = ("top [<N>] [limit=<N>] [countfield=<name>] [percentfield=<name>] "
                             "[showcount=<bool>] [showperc=<bool>] [useother=<bool>] [otherstr=<text>] "
                             "<field>... [BY <field>...]")
    example: ClassVar[str] = "top limit=5 eventName BY userName"
    options: ClassVar[dict] = {"limit": to_int, "countfield": to_text, "percentfield": to_text,
                               "showcount": to_bool, "showperc": to_bool, "useother": to_bool,
                               "otherstr": to_text}
    ascending: ClassVar[bool] = False

    fields: tuple[str, ...] = ()
    by: tuple[str, ...] = ()
    opts: tuple = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        names = [w for w in args.items if isinstance(w, ast.Word)]
        if names and names[0].text.isdigit() and not names[0].quoted:
            opts.setdefault("limit", int(names[0].text))
            names = names[1:]
        if not names:
            raise cls.error("No fields were specified.", args.span)
        by = next((i for i in args.items if isinstance(i, ast.ByClause)), None)
        return cls(args.span, tuple(w.text for w in names),
                   tuple(w.text for w in by.fields) if by else (), tuple(sorted(opts.items())))

    def fields_written(self):
        o = dict(self.opts)
        return frozenset((o.get("countfield", "count"), o.get("percentfield", "percent")))

    def prepare(self, env):
        o = dict(self.opts)
        limit = o.get("limit", 10)
        countfield, percentfield = o.get("countfield", "count"), o.get("percentfield", "percent")
        showcount, showperc = o.get("showcount", True), o.get("showperc", True)
        useother, otherstr = o.get("useother", False), o.get("otherstr", "OTHER")
        fields, by = self.fields, self.by

        def combos(ev):
            parts = []
            for f in fields:
                v = get_field(ev, f)
                if v is None:
                    return []
                parts.append(values_of(v))
            return itertools.product(*parts)

        def by_event(events) -> dict:
            groups: dict[tuple, Counter] = {}
            for ev in events:
                for g in (group_keys(ev, by) if by else [()]):
                    counter = groups.setdefault(g, Counter())
                    for combo in combos(ev):
                        counter[combo] += 1
            return {g: sorted(c.items(), key=lambda kv: kv[1], reverse=not self.ascending) for g, c in groups.items()}

        def run(events, ctx):
            ctx.tabular = True
            groups = top_counts(events, fields, by, self.ascending)
            if groups is None:
                groups = by_event(events)
            for g in sorted(groups, key=group_order):
                ranked = groups[g]
                total = sum(n for _, n in ranked)
                shown = ranked[:limit] if limit else ranked
                rest = sum(c for _, c in ranked[len(shown):])
                rows = list(shown)
                if useother and rest:
                    rows.append(((otherstr,) * len(fields), rest))
                for combo, n in rows:
                    row = dict(zip(by, g))
                    row.update(zip(fields, combo))
                    if showcount:
                        row[countfield] = n
                    if showperc:
                        row[percentfield] = f"{100.0 * n / total:.6f}" if total else None
                    yield row
        return run


@dataclass(frozen=True)
class RareCommand(TopCommand):
    """The least common values of fields, with their count and percent (default 10)."""

    name: ClassVar[str] = "rare"
    syntax: ClassVar[str] = TopCommand.syntax.replace("top", "rare", 1)
    example: ClassVar[str] = "rare sourceIPAddress"
    ascending: ClassVar[bool] = True
