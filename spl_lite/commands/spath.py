"""spath: extract fields from JSON text, all of them or the value at one path."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import orjson

from ..functions.eval_text import json_path_values, json_text_or_scalar, parse_json_path
from ..runtime.values import BODY, flatten, get_field, set_field, to_string
from ..columnar.kernels import spath_selection
from ..syntax import ast
from .base import Command, Kind, to_text, writable

EXTRACTION_CUTOFF = 5000  # [spath] extraction_cutoff: auto-extraction reads this much of the input


@dataclass(frozen=True)
class SpathCommand(Command):
    """Extract fields from JSON: every field, or the value at a path (a.b{0}.c) into a field."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "spath"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "spath [input=<field>] [output=<field>] [path=]<path>"
    example: ClassVar[str] = "spath output=arn path=userIdentity.arn"
    options: ClassVar[dict] = {"input": to_text, "output": to_text, "path": to_text}

    input: str = "_raw"
    output: str | None = None
    path: str | None = None

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        positional = [w.text for w in args.items if isinstance(w, ast.Word)]
        path = opts.get("path") or (positional[0] if positional else None)
        if len(positional) > 1 or (positional and "path" in opts):
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, opts.get("input", "_raw"), opts.get("output"), path)

    def fields_written(self):
        return frozenset((self.output or self.path,)) if self.path else frozenset()

    def fields_read(self):
        return frozenset((self.input,)) if self.path and self.input != "_raw" else None

    def prepare(self, env):
        source, path = self.input, self.path
        output = self.output or path
        steps = parse_json_path(path) if path else None

        def document(ev):
            if source == "_raw" and BODY in ev:
                return ev[BODY]  # the event's own JSON, already parsed at load
            text = to_string(get_field(ev, source))
            if text is None:
                return None
            try:
                return orjson.loads(text if path else text[:EXTRACTION_CUTOFF])
            except orjson.JSONDecodeError:
                return None

        def value(ev):
            """What the path gives in one event (None: nothing)."""
            doc = document(ev)
            return None if doc is None else value_in(doc)

        def value_in(doc):
            vals = []
            for node in json_path_values(doc, steps):
                if type(node) is list and path.endswith("{}"):
                    vals.extend(json_text_or_scalar(x) for x in node)
                else:
                    vals.append(json_text_or_scalar(node))
            return vals[0] if len(vals) == 1 else vals or None

        def run(events, ctx):
            if steps is not None and source == "_raw":
                made = spath_selection(events, path, output, value)
                if made is not None:
                    return made
            return by_event(events)

        def by_event(events):
            for ev in events:
                doc = document(ev)
                if doc is None:
                    yield ev
                    continue
                if steps is None:
                    if source == "_raw" and BODY in ev:
                        yield ev  # its fields are already extracted
                        continue
                    fields = flatten(doc) if type(doc) is dict else {}
                    ev = writable(ev)
                    for k, v in fields.items():
                        set_field(ev, k, v)
                    yield ev
                    continue
                ev = writable(ev)
                set_field(ev, output, value_in(doc))
                yield ev
        return run
