"""fields: keep or remove fields."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import BODY, event_fields, get_field, match_field_names, remove_field
from ..syntax import ast
from .base import Command, Kind, words, writable
from .table import expand_patterns


@dataclass(frozen=True)
class FieldsCommand(Command):
    """Keep (fields a, b) or remove (fields - a, b) fields; wildcards allowed."""

    name: ClassVar[str] = "fields"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "fields [+|-] <field> [, <field>]..."
    example: ClassVar[str] = "fields - _raw, requestParameters.*"

    remove: bool = False
    fields: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args: ast.CommandArgs):
        sign = next((i for i in args.items if isinstance(i, ast.Sign)), None)
        names = tuple(w.text for w in words(args.items))
        if not names:
            raise cls.error("Must specify at least one valid field name.", args.span)
        return cls(args.span, sign is not None and sign.text == "-", names)

    def fields_read(self):
        return frozenset() if self.remove else super().fields_read()

    def prepare(self, env):
        patterns = self.fields
        wild = any("*" in p for p in patterns)
        if self.remove:
            def run_remove(events, ctx):
                for ev in events:
                    ev = writable(ev)
                    names = list(event_fields(ev)) if wild else patterns
                    for p in patterns:
                        for n in (match_field_names(p, names) if wild else [p]):
                            remove_field(ev, n)
                    yield ev
            return run_remove

        def run_keep(events, ctx):
            for ev in events:
                if wild or BODY in ev:
                    full = event_fields(ev)
                    keep = expand_patterns(patterns, list(full))
                else:
                    full, keep = ev, patterns
                # _raw and _time stay unless removed explicitly.
                out = {n: full[n] for n in keep if full.get(n) is not None or (n in full and not wild)}
                for internal in ("_time", "_raw"):
                    if internal not in out and get_field(ev, internal) is not None \
                            and not ctx.tabular:
                        out[internal] = get_field(ev, internal)
                yield out
        return run_keep
