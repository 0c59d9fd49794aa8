"""table: a table of the listed fields, in the order listed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import event_fields, get_field, match_field_names
from ..syntax import ast
from .base import Command, Kind, words


def expand_patterns(patterns, names) -> list[str]:
    """Field names for a list of patterns: each wildcard expands to matches in name order."""
    out: dict[str, None] = {}
    for p in patterns:
        if "*" in p:
            # `table *` leaves out internal fields such as _raw, as Splunk does.
            candidates = names if p.startswith("_") else [n for n in names if not n.startswith("_")]
            for n in sorted(match_field_names(p, candidates)):
                out.setdefault(n)
        else:
            out.setdefault(p)
    return list(out)


@dataclass(frozen=True)
class TableCommand(Command):
    """Show only the listed fields, as a table in the order listed (wildcards allowed)."""

    name: ClassVar[str] = "table"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = "table <field> [, <field>]..."
    example: ClassVar[str] = "table _time, userName, eventName, errorCode"

    fields: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args: ast.CommandArgs):
        names = tuple(w.text for w in words(args.items))
        if not names:
            raise cls.error("Must specify at least one valid field name (can contain wildcards).",
                            args.span)
        return cls(args.span, names)

    def prepare(self, env):
        patterns = self.fields
        if not any("*" in p for p in patterns):
            def run(events, ctx):
                ctx.tabular = True
                for ev in events:
                    yield {f: get_field(ev, f) for f in patterns}
            return run

        def run_wildcards(events, ctx):
            ctx.tabular = True
            rows = [event_fields(ev) for ev in events]
            names: dict[str, None] = {}
            for r in rows:
                names.update(dict.fromkeys(r))
            columns = expand_patterns(patterns, list(names))
            for r in rows:
                yield {c: r.get(c) for c in columns}
        return run_wildcards
