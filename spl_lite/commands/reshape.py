"""Commands that reshape a table: transpose, xyseries, untable."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime.values import event_fields, get_field, to_string
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, to_text


def _names(args) -> list[str]:
    return [w.text for w in args.items if isinstance(w, ast.Word) and w.text != ","]


def _columns(rows) -> list[str]:
    """The rows' field names in order of first appearance, internal fields left out."""
    seen: dict[str, None] = {}
    for r in rows:
        seen.update(dict.fromkeys(k for k in event_fields(r) if not k.startswith("_")))
    return list(seen)


@dataclass(frozen=True)
class TransposeCommand(Command):
    """Turn the first N results (default 5) into columns: one row per field."""

    name: ClassVar[str] = "transpose"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = ("transpose [<N>] [column_name=<text>] [header_field=<field>] "
                             "[include_empty=<bool>]")
    example: ClassVar[str] = "transpose 10 column_name=field"
    options: ClassVar[dict] = {"column_name": to_text, "header_field": to_text, "include_empty": to_bool}

    count: int = 5
    column_name: str = "column"
    header_field: str | None = None
    include_empty: bool = True

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        words = _names(args)
        try:
            count = to_int(words[0]) if words else 5
        except ValueError:
            raise cls.error(f"Expected the number of results to transpose. Usage: {cls.syntax}", args.span) from None
        return cls(args.span, count, opts.get("column_name", "column"), opts.get("header_field"),
                   opts.get("include_empty", True))

    def fields_read(self):
        return None

    def prepare(self, env):
        def run(events, ctx):
            ctx.tabular = True
            rows = limits.collect(events, self.name, self.span)[:self.count or None]
            heads = [to_string(get_field(r, self.header_field)) if self.header_field else None for r in rows]
            heads = [h if h is not None else f"row {i}" for i, h in enumerate(heads, 1)]
            for name in _columns(rows):
                if name == self.header_field:
                    continue
                values = [get_field(r, name) for r in rows]
                if not self.include_empty and all(v is None for v in values):
                    continue
                yield {self.column_name: name, **dict(zip(heads, values))}
        return run


@dataclass(frozen=True)
class XyseriesCommand(Command):
    """A table with one row per x value and one column per y-name value, holding y-data."""

    name: ClassVar[str] = "xyseries"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = "xyseries [grouped=<bool>] <x-field> <y-name-field> <y-data-field>..."
    example: ClassVar[str] = "xyseries user eventName count"
    options: ClassVar[dict] = {"grouped": to_bool, "sep": to_text, "format": to_text}
    ignored_options: ClassVar[frozenset] = frozenset({"grouped"})

    x: str = ""
    y_name: str = ""
    y_data: tuple = ()
    sep: str = ": "
    format: str | None = None

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        names = _names(args)
        if len(names) < 3:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, names[0], names[1], tuple(names[2:]), opts.get("sep", ": "), opts.get("format"))

    def prepare(self, env):
        def column(data: str, name: str) -> str:
            if len(self.y_data) == 1:
                return name
            if self.format:
                return self.format.replace("$AGG$", data).replace("$VAL$", name)
            return f"{data}{self.sep}{name}"

        def run(events, ctx):
            ctx.tabular = True
            table: dict = {}
            columns: dict[str, None] = {}
            for r in events:
                x, name = get_field(r, self.x), get_field(r, self.y_name)
                if x is None or name is None:
                    continue
                key = to_string(x)
                row = table.setdefault(key, {self.x: x})
                for data in self.y_data:
                    col = column(data, to_string(name))
                    columns[col] = None
                    row[col] = get_field(r, data)
            for row in table.values():
                yield {self.x: row[self.x], **{c: row.get(c) for c in columns}}
        return run


@dataclass(frozen=True)
class UntableCommand(Command):
    """The inverse of xyseries: each column other than x becomes a row (x, column name, value)."""

    name: ClassVar[str] = "untable"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = "untable <x-field> <y-name-field> <y-data-field>"
    example: ClassVar[str] = "untable _time series count"

    x: str = ""
    y_name: str = ""
    y_data: str = ""

    @classmethod
    def from_args(cls, args):
        names = _names(args)
        if len(names) != 3:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, *names)

    def fields_read(self):
        return None

    def prepare(self, env):
        def run(events, ctx):
            ctx.tabular = True
            for r in events:
                x = get_field(r, self.x)
                for name, value in event_fields(r).items():
                    if name == self.x or name.startswith("_") or value is None:
                        continue
                    yield {self.x: x, self.y_name: name, self.y_data: value}
        return run


@dataclass(frozen=True)
class MakecontinuousCommand(Command):
    """Add a result for each bucket of a numeric or time field (span=) that has none, so the
    field runs without gaps; results come out in the field's order."""

    name: ClassVar[str] = "makecontinuous"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = "makecontinuous [<field>] [span=<span>] [start=<num>] [end=<num>]"
    example: ClassVar[str] = "makecontinuous _time span=1h"
    options: ClassVar[dict] = {"span": to_text, "start": to_text, "end": to_text, "bins": to_int,
                               "minspan": to_text, "aligntime": to_text}
    ignored_options: ClassVar[frozenset] = frozenset({"bins", "minspan", "aligntime"})

    field: str = "_time"
    span_text: str | None = None
    start: str | None = None
    end: str | None = None

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        names = _names(args)
        if len(names) > 1:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        span = opts.get("span")
        if span is not None and _step(span) is None:
            raise cls.error(f"Invalid span '{span}'. Use a number, or a time such as 30s, 5m, 1h, 1d.", args.span)
        return cls(args.span, names[0] if names else "_time", span, opts.get("start"), opts.get("end"))

    def fields_read(self):
        return None

    def prepare(self, env):
        from ..runtime.values import to_number

        def run(events, ctx):
            ctx.tabular = True
            rows = limits.collect(events, self.name, self.span)
            keyed = [(to_number(get_field(r, self.field)), r) for r in rows]
            nums = sorted({n for n, _ in keyed if n is not None})
            step = _step(self.span_text) if self.span_text else \
                min((b - a for a, b in zip(nums, nums[1:])), default=None)
            lo = to_number(self.start) if self.start is not None else (nums[0] if nums else None)
            hi = to_number(self.end) if self.end is not None else (nums[-1] if nums else None)
            if step and lo is not None and hi is not None:
                if (hi - lo) / step > limits.current().max_bins:
                    raise limits.exceeded("max_bins", f"makecontinuous would make {int((hi - lo) / step):,} buckets",
                                          command=self.name, span=self.span)
                have = set(nums)
                x = lo
                while x <= hi:
                    if x not in have:
                        keyed.append((x, {self.field: int(x) if float(x).is_integer() else x}))
                    x += step
            keyed.sort(key=lambda p: (p[0] is None, p[0] if p[0] is not None else 0))
            for _, r in keyed:
                yield r
        return run


def _step(text: str):
    from ..runtime import timeutil
    from ..runtime.values import to_number
    span = timeutil.parse_span(text)
    if span is not None and span[1] == "s":
        return span[0]
    n = to_number(text)
    return n if n is not None and n > 0 else None
