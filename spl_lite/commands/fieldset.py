"""Commands that set a field from others or from constants: strcat, rangemap, setfields."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import get_field, to_number, to_string
from ..syntax import ast
from .base import Command, Kind, to_bool, writable


@dataclass(frozen=True)
class StrcatCommand(Command):
    """Join the values of fields and quoted texts into a new field."""

    name: ClassVar[str] = "strcat"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = 'strcat [allrequired=<bool>] <field or "text">... <destfield>'
    example: ClassVar[str] = 'strcat userName "@" awsRegion who'
    options: ClassVar[dict] = {"allrequired": to_bool}

    sources: tuple = ()  # (text, is a literal)
    dest: str = ""
    allrequired: bool = False

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        words = [w for w in args.items if isinstance(w, ast.Word)]
        if len(words) < 2:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, tuple((w.text, w.quoted) for w in words[:-1]), words[-1].text,
                   opts.get("allrequired", False))

    def fields_read(self):
        return frozenset(t for t, literal in self.sources if not literal)

    def fields_written(self):
        return frozenset({self.dest})

    def prepare(self, env):
        def run(events, ctx):
            for ev in events:
                parts = []
                for text, literal in self.sources:
                    value = text if literal else get_field(ev, text)
                    if value is None and self.allrequired:
                        parts = None
                        break
                    parts.append("" if value is None else " ".join(map(to_string, value)) if isinstance(value, list)
                                 else to_string(value))
                if parts is not None:
                    ev = writable(ev)
                    ev[self.dest] = "".join(parts)
                yield ev
        return run


_RANGE = re.compile(r"(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)\Z")


@dataclass(frozen=True)
class RangemapCommand(Command):
    """Name the ranges a numeric field falls in (low=0-10 elevated=11-50 ...) in the field range;
    default= (or "None") when it falls in none."""

    name: ClassVar[str] = "rangemap"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "rangemap field=<field> <name>=<low>-<high>... [default=<name>]"
    example: ClassVar[str] = "rangemap field=count low=0-10 elevated=11-100 default=severe"

    field: str = ""
    ranges: tuple = ()
    default: str = "None"

    @classmethod
    def from_args(cls, args):
        field, default, ranges = None, "None", []
        for item in args.items:
            if not isinstance(item, ast.Option):
                raise cls.error(f"Usage: {cls.syntax}", getattr(item, "span", args.span))
            key = item.name
            if key.lower() == "field":
                field = item.value
            elif key.lower() == "default":
                default = item.value
            else:
                m = _RANGE.match(item.value)
                if not m:
                    raise cls.error(f"Invalid range \"{item.value}\" for '{key}': expected <low>-<high>, such as "
                                    "0-10.", item.value_span or item.span)
                ranges.append((key, float(m.group(1)), float(m.group(2))))
        if field is None:
            raise cls.error(f"rangemap needs field=<field>. Usage: {cls.syntax}", args.span)
        return cls(args.span, field, tuple(ranges), default)

    def fields_read(self):
        return frozenset({self.field})

    def fields_written(self):
        return frozenset({"range"})

    def prepare(self, env):
        def run(events, ctx):
            for ev in events:
                n = to_number(get_field(ev, self.field))
                names = [name for name, lo, hi in self.ranges if n is not None and lo <= n <= hi]
                ev = writable(ev)
                ev["range"] = names[0] if len(names) == 1 else names if names else self.default
                yield ev
        return run


@dataclass(frozen=True)
class SetfieldsCommand(Command):
    """Set fields to the same constant value in every result."""

    name: ClassVar[str] = "setfields"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "setfields <field>=<value>[, <field>=<value>]..."
    example: ClassVar[str] = 'setfields reviewed="yes", analyst=ana'

    values: tuple = ()

    @classmethod
    def from_args(cls, args):
        pairs = tuple((o.name, o.value) for o in args.items if isinstance(o, ast.Option))
        if not pairs:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, pairs)

    def fields_written(self):
        return frozenset(name for name, _ in self.values)

    def prepare(self, env):
        def run(events, ctx):
            for ev in events:
                ev = writable(ev)
                ev.update(self.values)
                yield ev
        return run

