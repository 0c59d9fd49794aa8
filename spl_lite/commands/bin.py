"""bin (bucket): put a time or number into a bucket of fixed size."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime import timeutil
from ..runtime.values import format_number, get_field, set_field, to_number
from ..syntax import ast
from .base import Command, Kind, to_int, to_text, writable

# Spans Splunk picks for _time when only bins= is given, smallest first.
TIME_SPANS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200,
              86400, 604800]


def nice_numeric_span(lo: float, hi: float, bins: int) -> float:
    """The smallest power of ten that covers the range in at most ``bins`` buckets."""
    width = max(hi - lo, 1e-9)
    span = 10 ** math.floor(math.log10(width / bins)) if width / bins > 0 else 1
    while math.floor(hi / span) - math.floor(lo / span) + 1 > bins:
        span *= 10
    return span


def numeric_bucket(n: float, span: float) -> str:
    low = math.floor(n / span) * span
    return f"{format_number(low)}-{format_number(low + span)}"


def check_span(cls, args) -> None:
    """A span= option that is neither a time (30s, 1h) nor a positive number is an error at the
    option (bin's, and tstats' ... BY _time span=, which bins the same way)."""
    for item in args.items:
        if isinstance(item, ast.Option) and item.name == "span":
            span = str(item.value)
            if timeutil.parse_span(span) is None and not (to_number(span) or 0) > 0:
                raise cls.error(f"Invalid span '{span}'. Use a number, or a time such as 30s, 5m, 1h, 1d.",
                                item.value_span)


@dataclass(frozen=True)
class BinCommand(Command):
    """Put each value of a field (usually _time) into a bucket: span=1h, or bins=N buckets."""

    name: ClassVar[str] = "bin"
    aliases: ClassVar[tuple[str, ...]] = ("bucket", "discretize")
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "bin [span=<span>|bins=<N>] [aligntime=<time>] <field> [AS <newname>]"
    example: ClassVar[str] = "bin _time span=1h"
    options: ClassVar[dict] = {"span": to_text, "bins": to_int, "minspan": to_text, "start": to_text,
                               "end": to_text, "aligntime": to_text}

    ignored_options: ClassVar[frozenset] = frozenset({"minspan", "start", "end"})

    field: str = ""
    alias: str | None = None
    span_text: str | None = None
    bins: int | None = None
    aligntime: str | None = None

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        names = [w.text for w in args.items if isinstance(w, ast.Word)]
        alias = next((i.name.text for i in args.items if isinstance(i, ast.AsClause)), None)
        if len(names) != 1:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        check_span(cls, args)
        return cls(args.span, names[0], alias, opts.get("span"), opts.get("bins"), opts.get("aligntime"))

    def fields_written(self):
        return frozenset((self.alias,)) if self.alias else frozenset()

    def prepare(self, env):
        field, target = self.field, self.alias or self.field
        is_time = field == "_time"
        span_text, bins = self.span_text, self.bins

        def time_span(events):
            if span_text is not None:
                return timeutil.parse_span(span_text) or (float(to_number(span_text)), "s")
            times = [t for t in (to_number(get_field(e, field)) for e in events) if t is not None and math.isfinite(t)]
            width = (max(times) - min(times)) if times else 0
            n = bins or 100
            return next(((s, "s") for s in TIME_SPANS if width / s < n), (TIME_SPANS[-1], "s"))

        def numeric_span(events):
            if span_text is not None:
                # A time span on another field counts seconds (bin date_hour span=1h).
                as_time = timeutil.parse_span(span_text)
                return as_time[0] if as_time and as_time[1] == "s" else float(to_number(span_text) or 1)
            nums = [n for n in (to_number(get_field(e, field)) for e in events) if n is not None and math.isfinite(n)]
            return nice_numeric_span(min(nums), max(nums), bins or 100) if nums else 1

        def apply(ev, bucket):
            v = to_number(get_field(ev, field))
            if v is None or not math.isfinite(v):
                return ev
            try:
                b = bucket(v)
            except (OverflowError, ValueError):  # v / span past a float's range: span=1e-300
                raise self.error(f"Invalid span '{span_text}': the bucket of {format_number(v)} is out of "
                                 "range. Use a larger span.", self.span) from None
            ev = writable(ev)
            set_field(ev, target, b)
            return ev

        def run(events, ctx):
            needs_data = span_text is None or (not is_time and timeutil.parse_span(span_text) is None
                                               and to_number(span_text) is None)
            if needs_data:
                events = limits.collect(events, self.name, self.span)
            if is_time:
                span = time_span(events)
                offset = 0.0
                if self.aligntime:
                    at = timeutil.time_modifier(self.aligntime, ctx.now)
                    offset = (at or 0) % span[0] if span[1] == "s" else 0

                def bucket(t):
                    b = timeutil.floor_time(t - offset, span) + offset
                    return int(b) if b == int(b) else b
            else:
                span = numeric_span(events)

                def bucket(n):
                    return numeric_bucket(n, span)
            for ev in events:
                yield apply(ev, bucket)
        return run
