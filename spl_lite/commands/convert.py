"""convert: convert field values with ctime, mktime, dur2sec, num, ..."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, ClassVar

from ..runtime import timeutil
from ..runtime.values import event_fields, get_field, match_field_names, set_field, to_number, to_string, values_of
from ..syntax import ast
from .base import Command, Kind, to_text, writable

DEFAULT_TIMEFORMAT = "%m/%d/%Y %H:%M:%S"


def _dur2sec(s: str):
    m = re.fullmatch(r"(?:(\d+)\+)?(\d+):(\d+):(\d+(?:\.\d+)?)", s.strip())
    if not m:
        return None
    d, h, mi, sec = m.groups()
    total = int(d or 0) * 86400 + int(h) * 3600 + int(mi) * 60 + float(sec)
    return int(total) if total == int(total) else total


def _mstime(s: str):
    m = re.fullmatch(r"(?:(\d+):)?(\d+(?:\.\d+)?)", s.strip())
    if not m:
        return None
    return int(m.group(1) or 0) * 60 + float(m.group(2))


def _memk(s: str):
    m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)\s*([kKmMgG]?)", s.strip())
    if not m:
        return None
    n = float(m.group(1))
    return n * {"": 1, "k": 1, "m": 1024, "g": 1024 * 1024}[m.group(2).lower()]


def _rmunit(s: str):
    m = re.match(r"\s*([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)", s)
    return to_number(m.group(1)) if m else None


def converters(timeformat: str) -> dict[str, Callable[[str], object]]:
    def ctime(s):
        n = to_number(s)
        return None if n is None else timeutil.strftime(n, timeformat)
    return {
        "ctime": ctime,
        "mktime": lambda s: timeutil.strptime(s, timeformat),
        "dur2sec": _dur2sec,
        "mstime": _mstime,
        "memk": _memk,
        "rmunit": _rmunit,
        "rmcomma": lambda s: to_number(s.replace(",", "")),
        "num": lambda s: to_number(s) if to_number(s) is not None else _rmunit(s),
        "auto": lambda s: to_number(s) if to_number(s) is not None else s,
        "none": lambda s: s,
    }


@dataclass(frozen=True)
class ConvertCommand(Command):
    """Convert values: ctime() epoch to text, mktime() text to epoch, dur2sec(), num(), ..."""

    name: ClassVar[str] = "convert"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = 'convert [timeformat="<format>"] <function>(<field>) [AS <newname>]...'
    example: ClassVar[str] = "convert ctime(firstTime) ctime(lastTime)"
    options: ClassVar[dict] = {"timeformat": to_text}

    timeformat: str = DEFAULT_TIMEFORMAT
    items: tuple = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        items = tuple(i for i in args.items if isinstance(i, ast.ConvertItem))
        known = converters(DEFAULT_TIMEFORMAT)
        for i in items:
            if i.func.lower() not in known:
                from ..errors import did_you_mean
                raise cls.error(f"Unknown conversion function '{i.func}'.", i.span,
                                did_you_mean(i.func, known))
        return cls(args.span, opts.get("timeformat", DEFAULT_TIMEFORMAT), items)

    def fields_written(self):
        return frozenset(i.alias.text for i in self.items if i.alias)

    def prepare(self, env):
        table = converters(self.timeformat)
        plan = [(table[i.func.lower()], i.field.text, i.alias.text if i.alias else None) for i in self.items]

        def convert_value(fn, v):
            out = []
            for x in values_of(v):
                r = fn(to_string(x))
                if r is not None:
                    out.append(r)
            return out

        def run(events, ctx):
            for ev in events:
                ev = writable(ev)
                for fn, pattern, alias in plan:
                    names = match_field_names(pattern, list(event_fields(ev))) if "*" in pattern else [pattern]
                    for name in names:
                        v = get_field(ev, name)
                        if v is None:
                            continue
                        converted = convert_value(fn, v)
                        if converted or alias is None:
                            set_field(ev, alias or name, converted or v)
                yield ev
        return run
