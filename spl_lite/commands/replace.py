"""replace: swap whole field values for others, with * wildcards."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import event_fields, get_field, to_string
from ..runtime.values.scalar import Wildcard
from ..syntax import ast
from .base import Command, Kind, writable


def _pattern(old: str, new: str):
    """A function value -> new value (or None when ``old`` does not match the whole value); each
    * in ``new`` takes what the * at the same place in ``old`` matched."""
    pattern = Wildcard(old, ignore_case=False)
    parts = new.split("*")

    def apply(value: str) -> str | None:
        groups = pattern.runs(value, greedy=True)  # as (.*) runs capture, in linear time
        if groups is None:
            return None
        out = parts[0]
        for i, part in enumerate(parts[1:]):
            out += (groups[i] if i < len(groups) else "") + part
        return out
    return apply


@dataclass(frozen=True)
class ReplaceCommand(Command):
    """Replace whole field values (case-sensitive, * wildcards) in the listed fields, or in every
    field that does not start with an underscore."""

    name: ClassVar[str] = "replace"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "replace <value> WITH <new value> [, <value> WITH <new value>]... [IN <field>...]"
    example: ClassVar[str] = 'replace "::ffff:*" WITH * IN src'

    pairs: tuple = ()
    fields: tuple = ()

    @classmethod
    def from_args(cls, args):
        words = [(w.text, isinstance(w, ast.QuotedString), getattr(w, "span", None)) for w in args.items
                 if isinstance(w, (ast.Word, ast.QuotedString))]
        pairs, fields, i = [], [], 0
        while i < len(words):
            text, quoted, span = words[i]
            if not quoted and text.lower() == "in":
                fields = [t for t, _, _ in words[i + 1:] if t != ","]
                break
            if not quoted and text == ",":
                i += 1
                continue
            if i + 2 >= len(words) or words[i + 1][0].lower() != "with" or words[i + 1][1]:
                raise cls.error(f"Expected <value> WITH <new value>. Usage: {cls.syntax}", span or args.span)
            old, new = text, words[i + 2][0]
            if new.count("*") > old.count("*"):
                raise cls.error(f"The new value '{new}' has more wildcards than '{old}'.", words[i + 2][2])
            pairs.append((old, new))
            i += 3
        if not pairs:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, tuple(pairs), tuple(fields))

    def fields_read(self):
        return frozenset(self.fields) if self.fields else None

    def prepare(self, env):
        rules = [_pattern(old, new) for old, new in self.pairs]

        def swap(value):
            text = to_string(value)
            for rule in rules:
                out = rule(text)
                if out is not None:
                    return out
            return value

        def run(events, ctx):
            for ev in events:
                names = self.fields or [n for n in event_fields(ev) if not n.startswith("_")]
                changed = {}
                for name in names:
                    value = get_field(ev, name)
                    if value is None:
                        continue
                    new = [swap(v) for v in value] if isinstance(value, list) else swap(value)
                    if new != value:
                        changed[name] = new
                if changed:
                    ev = writable(ev)
                    ev.update(changed)
                yield ev
        return run
