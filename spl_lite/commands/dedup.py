"""dedup: keep the first results for each combination of field values."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime.values import get_field, remove_field
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, writable
from ..columnar.kernels import dedup_selection
from .sort import resolve_keys, sort_events


@dataclass(frozen=True)
class DedupCommand(Command):
    """Keep the first N results (default 1) for each combination of the fields' values."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "dedup"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = ("dedup [<N>] <field> [<field>]... [keepevents=<bool>] [keepempty=<bool>] "
                             "[consecutive=<bool>] [sortby [+|-]<field>...]")
    example: ClassVar[str] = "dedup userName, sourceIPAddress"
    options: ClassVar[dict] = {"keepevents": to_bool, "keepempty": to_bool, "consecutive": to_bool}

    fields: tuple[str, ...] = ()
    count: int = 1
    keepevents: bool = False
    keepempty: bool = False
    consecutive: bool = False
    sortby: tuple = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        names = [w for w in args.items if isinstance(w, ast.Word)]
        count = 1
        if names and names[0].text.isdigit() and not names[0].quoted:
            count = to_int(names[0].text)
            names = names[1:]
        if not names:
            raise cls.error("At least one field must be given as an argument.", args.span)
        sortby = tuple(resolve_keys(cls, [i for i in args.items if isinstance(i, ast.SortKey)]))
        return cls(args.span, tuple(w.text for w in names), count, opts.get("keepevents", False),
                   opts.get("keepempty", False), opts.get("consecutive", False), sortby)

    def fields_read(self):
        return frozenset(self.fields) | frozenset(k[0] for k in self.sortby)

    def prepare(self, env):
        fields, count = self.fields, self.count

        def key_of(ev):
            key = []
            for f in fields:
                v = get_field(ev, f)
                if v is None:
                    return None
                # A multivalue is a duplicate only when all of its values match.
                key.append(tuple(v) if type(v) is list else v)
            return tuple(key)

        def run(events, ctx):
            if not (self.sortby or self.consecutive or self.keepevents):
                columns = dedup_selection(events, fields, count, self.keepempty)
                if columns is not None:
                    return columns
            return by_event(events)

        def by_event(events):
            if self.sortby:
                events = sort_events(limits.collect(events, self.name, self.span), list(self.sortby))
            seen: dict[tuple, int] = {}
            previous = object()
            for ev in events:
                key = key_of(ev)
                if key is None:
                    if self.keepempty:
                        yield ev
                    continue
                if self.consecutive:
                    if key != previous:
                        yield ev
                    previous = key
                    continue
                n = seen.get(key, 0)
                if n < count:
                    seen[key] = n + 1
                    yield ev
                elif self.keepevents:
                    ev = writable(ev)
                    for f in fields:
                        remove_field(ev, f)
                    yield ev
        return run
