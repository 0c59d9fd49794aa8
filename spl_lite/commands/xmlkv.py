"""xmlkv: fields from the XML elements in _raw or another field (<foo>bar</foo> gives foo=bar)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import get_field, to_string
from ..syntax import ast
from .base import Command, Kind, to_int, writable

# An element with text and no element inside it; a repeated name gives a multivalue field.
_LEAF = re.compile(r"<([A-Za-z_][\w.:-]*)(?:\s[^<>]*)?>([^<]*)</\1\s*>")


@dataclass(frozen=True)
class XmlkvCommand(Command):
    """Extract a field for each XML element that holds text: <foo>bar</foo> gives foo=bar."""

    name: ClassVar[str] = "xmlkv"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "xmlkv [<field>] [maxinputs=<N>]"
    example: ClassVar[str] = "xmlkv Message"
    options: ClassVar[dict] = {"maxinputs": to_int}
    ignored_options: ClassVar[frozenset] = frozenset({"maxinputs"})

    field: str = "_raw"

    @classmethod
    def from_args(cls, args):
        cls.read_options(args.items)
        names = [w.text for w in args.items if isinstance(w, ast.Word)]
        if len(names) > 1:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, names[0] if names else "_raw")

    def fields_read(self):
        return None if self.field == "_raw" else frozenset({self.field})

    def prepare(self, env):
        def run(events, ctx):
            for ev in events:
                text = get_field(ev, self.field)
                found: dict[str, list] = {}
                for value in (text if isinstance(text, list) else [text] if text is not None else []):
                    for m in _LEAF.finditer(to_string(value)):
                        found.setdefault(m.group(1), []).append(html.unescape(m.group(2)))
                if found:
                    ev = writable(ev)
                    for key, values in found.items():
                        ev[key] = values[0] if len(values) == 1 else values
                yield ev
        return run
