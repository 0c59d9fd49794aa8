"""foreach: run a templated search once per matching field (or per value of a multivalue field)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import orjson

from ..runtime.values import event_fields, get_field, json_scalar, to_string
from ..runtime.values.scalar import Wildcard
from ..syntax import ast
from .base import Command, Kind, to_text
from .fragment import compile_fragment, run_fragment

MODES = ("multifield", "multivalue", "json_array")


def _mode(text: str) -> str:
    if text.lower() not in MODES:
        raise ValueError(f"expected one of {', '.join(MODES)}")
    return text.lower()


@dataclass(frozen=True)
class ForeachCommand(Command):
    """Run a templated search for each field matching a wildcard (<<FIELD>>, <<MATCHSTR>>,
    <<MATCHSEG1>>...), or for each value of a multivalue field (<<ITEM>>, <<ITER>>)."""

    name: ClassVar[str] = "foreach"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = ("foreach [mode=multifield|multivalue|json_array] <wc-field>... [fieldstr=<s>] "
                             "[matchstr=<s>] [matchseg1=<s>] [itemstr=<s>] [iterstr=<s>] [<template>]")
    example: ClassVar[str] = "foreach count_* [eval total=total + '<<FIELD>>']"
    options: ClassVar[dict] = {"mode": _mode, "fieldstr": to_text, "matchstr": to_text, "matchseg1": to_text,
                               "matchseg2": to_text, "matchseg3": to_text, "itemstr": to_text, "iterstr": to_text}

    fields: tuple = ()
    template: str = ""
    template_span: object = None
    mode: str = "multifield"
    marks: tuple = ()  # (placeholder, what fills it)

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        fields = tuple(w.text for w in args.items if isinstance(w, (ast.Word, ast.QuotedString)) and w.text != ",")
        template = next((t for t in args.items if isinstance(t, ast.Template)), None)
        if not fields or template is None:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        marks = (("fieldstr", "<<FIELD>>"), ("matchstr", "<<MATCHSTR>>"), ("matchseg1", "<<MATCHSEG1>>"),
                 ("matchseg2", "<<MATCHSEG2>>"), ("matchseg3", "<<MATCHSEG3>>"), ("itemstr", "<<ITEM>>"),
                 ("iterstr", "<<ITER>>"))
        return cls(args.span, fields, template.text, template.span, opts.get("mode", "multifield"),
                   tuple((opts.get(k, default), default) for k, default in marks))

    def fields_read(self):
        return None

    def prepare(self, env):
        patterns = [(f, Wildcard(f, ignore_case=False)) for f in self.fields]
        compiled: dict[str, list] = {}

        def runners(fill: dict) -> list:
            text = self.template
            for mark, role in self.marks:
                text = text.replace(mark, fill.get(role, mark))
            if text not in compiled:
                if len(compiled) >= 1000:  # one per distinct <<ITEM>> could grow without end
                    compiled.clear()
                compiled[text] = self._compile(text, env)
            return compiled[text]

        # A template that does not compile is reported now, not on the first event.
        runners({"<<FIELD>>": "f", "<<MATCHSTR>>": "f", "<<MATCHSEG1>>": "f", "<<ITEM>>": "1", "<<ITER>>": "0"})

        def fills(ev):
            if self.mode == "multifield":
                names = [n for n in sorted(event_fields(ev)) if not n.startswith("_") or any(
                    f.startswith("_") for f in self.fields)]
                for name in names:
                    for f, pattern in patterns:
                        segs = pattern.runs(name)  # as (.*?) runs capture, in linear time
                        if segs is not None:
                            fill = {"<<FIELD>>": name, "<<MATCHSTR>>": "".join(segs)}
                            fill.update({f"<<MATCHSEG{i}>>": s for i, s in enumerate(segs, 1)})
                            yield fill
                            break
                return
            value = get_field(ev, self.fields[0])
            if self.mode == "json_array" and isinstance(value, str):
                try:
                    value = orjson.loads(value)
                except orjson.JSONDecodeError:
                    value = None
            values = value if isinstance(value, list) else [] if value is None else [value]
            for i, item in enumerate(values):
                text = orjson.dumps(item).decode() if type(item) in (dict, list) else \
                    json_scalar(item) if self.mode == "json_array" else to_string(item)
                yield {"<<ITEM>>": text, "<<ITER>>": str(i)}

        def run(events, ctx):
            for ev in events:
                for fill in list(fills(ev)):
                    ev = next(run_fragment(runners(fill), [ev], ctx), None)
                    if ev is None:
                        break
                if ev is not None:
                    yield ev
        return run

    def _compile(self, text: str, env) -> list:
        return compile_fragment(text, env, command=self.name, span=self.template_span, streaming_only=True)
