"""fillnull: give null fields a value."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime.values import event_fields, get_field
from ..syntax import ast
from .base import Command, Kind, to_text, writable


@dataclass(frozen=True)
class FillnullCommand(Command):
    """Give null fields a value (default 0): the listed fields, or every field seen in any result."""

    name: ClassVar[str] = "fillnull"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "fillnull [value=<text>] [<field>...]"
    example: ClassVar[str] = 'fillnull value="(none)" errorCode'
    options: ClassVar[dict] = {"value": to_text}

    value: str = "0"
    fields: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        names = tuple(w.text for w in args.items if isinstance(w, ast.Word))
        return cls(args.span, opts.get("value", "0"), names)

    def fields_read(self):
        return frozenset(self.fields) if self.fields else None

    def prepare(self, env):
        value, fields = self.value, self.fields

        def fill(ev, names):
            missing = [f for f in names if get_field(ev, f) is None]
            if not missing:
                return ev
            ev = writable(ev)
            for f in missing:
                ev[f] = value
            return ev

        if fields:
            return lambda events, ctx: (fill(ev, fields) for ev in events)

        def run_all(events, ctx):
            # Without a list, only fields that have a value in at least one result are filled.
            events = limits.collect(events, self.name, self.span)
            seen: dict[str, None] = {}
            for ev in events:
                seen.update(dict.fromkeys(k for k in event_fields(ev) if not k.startswith("_")))
            names = tuple(seen)
            for ev in events:
                yield fill(ev, names)
        return run_all
