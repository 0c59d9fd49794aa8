"""fromjson and tojson: JSON text in a field to fields, and fields to a JSON object."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import orjson

from ..runtime.values import event_fields, get_field, json_scalar, to_number, to_string
from ..runtime.values.scalar import Wildcard
from ..syntax import ast
from .base import Command, Kind, to_bool, to_text, writable

TYPES = ("auto", "bool", "json", "none", "num", "str")


def _type(text: str) -> str:
    if text.lower() not in TYPES:
        raise ValueError(f"expected one of {', '.join(TYPES)}")
    return text.lower()


def _element(v):
    return orjson.dumps(v).decode() if type(v) in (dict, list) else json_scalar(v)


@dataclass(frozen=True)
class FromjsonCommand(Command):
    """Turn the JSON object in a field into fields: its top-level keys, arrays as multivalue
    fields, nested objects as JSON text."""

    name: ClassVar[str] = "fromjson"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "fromjson <field> [prefix=<text>]"
    example: ClassVar[str] = "fromjson requestParameters prefix=req_"
    options: ClassVar[dict] = {"prefix": to_text}

    field: str = ""
    prefix: str = ""

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        names = [w.text for w in args.items if isinstance(w, (ast.Word, ast.QuotedString))]
        if len(names) != 1:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, names[0], opts.get("prefix", ""))

    def fields_read(self):
        return frozenset({self.field})

    def prepare(self, env):
        def run(events, ctx):
            for ev in events:
                text = get_field(ev, self.field)
                try:
                    doc = orjson.loads(to_string(text)) if text is not None and not isinstance(text, list) else None
                except orjson.JSONDecodeError:
                    doc = None
                if type(doc) is dict:
                    ev = writable(ev)
                    for key, value in doc.items():
                        ev[self.prefix + key] = [_element(x) for x in value] if type(value) is list else \
                            _element(value)
                yield ev
        return run


_FUNCTION = re.compile(r"(auto|bool|json|none|num|str)\((.*)\)\Z", re.IGNORECASE)


@dataclass(frozen=True)
class TojsonCommand(Command):
    """Write each result's fields as one JSON object (into _raw unless output_field= says), with
    datatypes from auto()/bool()/json()/none()/num()/str() or default_type=."""

    name: ClassVar[str] = "tojson"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = ("tojson [auto|bool|json|none|num|str(<wc-field>)]... [default_type=<type>] "
                             "[fill_null=<bool>] [include_internal=<bool>] [output_field=<field>]")
    example: ClassVar[str] = "tojson str(user) num(count) output_field=summary"
    options: ClassVar[dict] = {"default_type": _type, "fill_null": to_bool, "include_internal": to_bool,
                               "output_field": to_text}

    typed: tuple = ()  # (wildcard field, type)
    default_type: str = "none"
    fill_null: bool = False
    include_internal: bool = False
    output_field: str = "_raw"

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        typed = []
        for w in (w for w in args.items if isinstance(w, ast.Word)):
            m = _FUNCTION.match(w.text)  # auto(f) reads as one name with parentheses
            if m is None:
                raise cls.error(f"Expected a datatype function such as auto({w.text}). Usage: {cls.syntax}", w.span)
            typed.append((m.group(2), m.group(1).lower()))
        return cls(args.span, tuple(typed), opts.get("default_type", "none"), opts.get("fill_null", False),
                   opts.get("include_internal", False), opts.get("output_field", "_raw"))

    def fields_read(self):
        return None

    def prepare(self, env):
        patterns = [(Wildcard(f, ignore_case=False), t, f) for f, t in self.typed]

        def run(events, ctx):
            for ev in events:
                fields = event_fields(ev)
                fields.update((k, ev[k]) for k in ("_time",) if k in ev)
                out = {}
                chosen = patterns or [(None, self.default_type, "*")]
                for rx, kind, name in chosen:
                    if rx is not None and "*" not in name:
                        names = [name]
                    else:
                        names = [n for n in fields if rx is None or rx.match(n)]
                    for n in names:
                        if n.startswith("_") and not self.include_internal:
                            continue
                        value = get_field(ev, n)
                        if value is None:
                            if self.fill_null and n not in out:
                                out[n] = None
                            continue
                        out[n] = [_typed(v, kind) for v in value] if isinstance(value, list) else _typed(value, kind)
                ev = writable(ev)
                ev[self.output_field] = orjson.dumps(dict(sorted(out.items()))).decode()
                yield ev
        return run


def _typed(value, kind: str):
    text = to_string(value)
    if text is None:
        return None
    if kind == "str":
        return text
    n = to_number(value)
    if kind == "num":
        return n
    low = text.lower()
    if kind == "bool":
        if low in ("true", "t", "yes") or (n is not None and n != 0):
            return True
        return False if low in ("false", "f", "no") or n == 0 else None
    if kind == "json":
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            return text
    if kind == "auto" and low in ("true", "false"):
        return low == "true"
    return n if n is not None else text
