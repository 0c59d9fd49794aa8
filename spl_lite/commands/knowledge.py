"""typer and tags: write the event types and tags that search-time knowledge gives into fields."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import event_fields, get_field, to_string, values_of
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, to_text, writable


@dataclass(frozen=True)
class TyperCommand(Command):
    """Give each result its eventtype field: the event types whose searches it matches."""

    name: ClassVar[str] = "typer"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "typer [eventtypes=<wildcard>] [maxlen=<N>]"
    example: ClassVar[str] = "typer | stats count by eventtype"
    options: ClassVar[dict] = {"eventtypes": to_text, "maxlen": to_int}
    ignored_options: ClassVar[frozenset] = frozenset({"maxlen"})

    pattern: str = "*"

    @classmethod
    def from_args(cls, args):
        cls.reject_extra(args.items, ast.Option)
        return cls(args.span, cls.read_options(args.items).get("eventtypes", "*"))

    def fields_written(self):
        return frozenset({"eventtype"})

    def prepare(self, env):
        from ..compiler.search_terms import value_matcher
        keep = value_matcher(self.pattern)

        def run(events, ctx):
            for ev in events:
                types = [t for t in values_of(get_field(ev, "eventtype")) if keep(t)]
                ev = writable(ev)
                ev["eventtype"] = types[0] if len(types) == 1 else types or None
                yield ev
        return run


@dataclass(frozen=True)
class TagsCommand(Command):
    """Write the tags of fields' values (tags.conf [field=value]) into tag::<field>, or all of them
    into one field with outputfield= (inclname / inclvalue prefix each tag with field:: / value::)."""

    name: ClassVar[str] = "tags"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "tags [outputfield=<field>] [inclname=<bool>] [inclvalue=<bool>] [<field>...]"
    example: ClassVar[str] = "tags outputfield=all_tags inclname=t host sourcetype"
    options: ClassVar[dict] = {"outputfield": to_text, "inclname": to_bool, "inclvalue": to_bool}

    fields: tuple = ()
    outputfield: str | None = None
    inclname: bool = False
    inclvalue: bool = False

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        return cls(args.span, tuple(w.text for w in args.items if isinstance(w, ast.Word)), opts.get("outputfield"),
                   opts.get("inclname", False), opts.get("inclvalue", False))

    def fields_read(self):
        return frozenset(self.fields) | frozenset(f"tag::{f}" for f in self.fields) if self.fields else None

    def prepare(self, env):
        def run(events, ctx):
            for ev in events:
                names = self.fields or [n for n in event_fields(ev) if not n.startswith(("_", "tag"))]
                found = {}
                for name in names:
                    tags = values_of(get_field(ev, f"tag::{name}"))
                    if tags:
                        found[name] = tags
                if found:
                    ev = writable(ev)
                    if self.outputfield is None:
                        for name, tags in found.items():
                            ev[f"tag::{name}"] = tags[0] if len(tags) == 1 else tags
                    else:
                        out = []
                        for name, tags in found.items():
                            value = to_string(get_field(ev, name))
                            prefix = (f"{name}::" if self.inclname else "") + (f"{value}::" if self.inclvalue else "")
                            out += [prefix + t for t in tags]
                        ev[self.outputfield] = out[0] if len(out) == 1 else out
                yield ev
        return run
