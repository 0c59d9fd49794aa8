"""Multivalue commands: makemv and mvexpand split, mvcombine and nomv join."""
from __future__ import annotations

from ..runtime.regex import compile_regex
from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import get_field, set_field, to_string, values_of
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, to_text, writable


def _one_field(cls, args) -> str:
    names = [w.text for w in args.items if isinstance(w, ast.Word)]
    if len(names) != 1:
        raise cls.error(f"Usage: {cls.syntax}", args.span)
    return names[0]


@dataclass(frozen=True)
class MakemvCommand(Command):
    """Split a field's text into a multivalue, on a delimiter or a tokenizer regex."""

    name: ClassVar[str] = "makemv"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = 'makemv [delim="<text>"|tokenizer="<regex>"] [allowempty=<bool>] [setsv=<bool>] <field>'
    example: ClassVar[str] = 'makemv delim="," policyArns'
    options: ClassVar[dict] = {"delim": to_text, "tokenizer": to_text, "allowempty": to_bool,
                               "setsv": to_bool}

    field: str = ""
    delim: str = " "
    tokenizer: str | None = None
    allowempty: bool = False
    setsv: bool = False

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        return cls(args.span, _one_field(cls, args), opts.get("delim", " "), opts.get("tokenizer"),
                   opts.get("allowempty", False), opts.get("setsv", False))

    def prepare(self, env):
        field, delim = self.field, self.delim
        tok = compile_regex(self.tokenizer, command="makemv", span=self.span) if self.tokenizer else None

        def split(text: str) -> list[str]:
            if tok is not None:
                return [m.group(1) if m.groups() else m.group(0) for m in tok.finditer(text)]
            parts = text.split(delim)
            return parts if self.allowempty else [p for p in parts if p != ""]

        def run(events, ctx):
            for ev in events:
                v = get_field(ev, field)
                if v is None:
                    yield ev
                    continue
                ev = writable(ev)
                vals = [p for x in values_of(v) for p in split(to_string(x))]
                set_field(ev, field, " ".join(vals) if self.setsv else vals)
                yield ev
        return run


@dataclass(frozen=True)
class MvexpandCommand(Command):
    """One result per value of a multivalue field, the other fields copied."""

    name: ClassVar[str] = "mvexpand"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "mvexpand <field> [limit=<N>]"
    example: ClassVar[str] = "mvexpand resources{}.ARN"
    options: ClassVar[dict] = {"limit": to_int}

    field: str = ""
    limit: int = 0

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        return cls(args.span, _one_field(cls, args), opts.get("limit", 0))

    def prepare(self, env):
        field, limit = self.field, self.limit

        def run(events, ctx):
            for ev in events:
                vals = values_of(get_field(ev, field))
                if limit:
                    vals = vals[:limit]
                for x in vals:
                    out = writable(ev)
                    out[field] = x
                    yield out
        return run


@dataclass(frozen=True)
class MvcombineCommand(Command):
    """Merge results that are the same but for one field into one, that field a multivalue."""

    name: ClassVar[str] = "mvcombine"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    syntax: ClassVar[str] = 'mvcombine [delim="<text>"] <field>'
    example: ClassVar[str] = "mvcombine eventName"
    options: ClassVar[dict] = {"delim": to_text}
    ignored_options: ClassVar[frozenset] = frozenset({"delim"})

    field: str = ""

    @classmethod
    def from_args(cls, args):
        cls.read_options(args.items)
        return cls(args.span, _one_field(cls, args))

    def fields_read(self):
        return None

    def prepare(self, env):
        from ..runtime.values import event_fields

        def run(events, ctx):
            ctx.tabular = True
            groups: dict = {}
            for ev in events:
                fields = event_fields(ev)
                if ev.get("_time") is not None:
                    fields["_time"] = ev["_time"]
                value = fields.pop(self.field, None)
                key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in fields.items()
                                   if not k.startswith("_") or k == "_time"))
                row = groups.get(key)
                if row is None:
                    row = groups[key] = dict(fields)
                    row[self.field] = []
                if value is not None:
                    row[self.field].extend(values_of(value))
            for row in groups.values():
                vals = row[self.field]
                row[self.field] = vals[0] if len(vals) == 1 else vals or None
                yield row
        return run


@dataclass(frozen=True)
class NomvCommand(Command):
    """Turn a multivalue field into one value, its values joined by newlines."""

    name: ClassVar[str] = "nomv"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "nomv <field>"
    example: ClassVar[str] = "nomv eventNames"

    field: str = ""

    @classmethod
    def from_args(cls, args):
        return cls(args.span, _one_field(cls, args))

    def prepare(self, env):
        def run(events, ctx):
            for ev in events:
                value = get_field(ev, self.field)
                if isinstance(value, list):
                    ev = writable(ev)
                    ev[self.field] = "\n".join(to_string(v) for v in value)
                yield ev
        return run
