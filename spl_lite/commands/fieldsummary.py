"""fieldsummary: one row per field: how many results have it, distinct values, numbers, top values."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

import orjson

from ..runtime.values import event_fields, match_field_names, to_number, to_string, values_of
from ..syntax import ast
from .base import Command, Kind, to_int

DISTINCT_EXACT = 1000  # Splunk counts distinct values exactly up to here


@dataclass(frozen=True)
class FieldsummaryCommand(Command):
    """Summarise every field: count, distinct values, min/max/mean/stdev of numbers, top values."""

    name: ClassVar[str] = "fieldsummary"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = "fieldsummary [maxvals=<N>] [<field>...]"
    example: ClassVar[str] = "fieldsummary maxvals=5 eventName userIdentity.*"
    options: ClassVar[dict] = {"maxvals": to_int}

    fields: tuple[str, ...] = ()
    maxvals: int = 100

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        return cls(args.span, tuple(w.text for w in args.items if isinstance(w, ast.Word)), opts.get("maxvals", 100))

    def fields_read(self):
        return None

    def prepare(self, env):
        def run(events, ctx):
            ctx.tabular = True
            counts: dict[str, Counter] = {}
            present: Counter = Counter()
            for ev in events:
                for name, v in event_fields(ev).items():
                    if name.startswith("_") and name != "_time":
                        continue
                    present[name] += 1
                    counts.setdefault(name, Counter()).update(to_string(x) for x in values_of(v))
            names = sorted(present)
            if self.fields:
                names = [n for p in self.fields for n in match_field_names(p, names)]
            for name in names:
                values = counts[name]
                nums = [n for v, c in values.items() for n in [to_number(v)] * c if n is not None]
                mean = sum(nums) / len(nums) if nums else None
                stdev = (math.sqrt(sum((x - mean) ** 2 for x in nums) / (len(nums) - 1))
                         if len(nums) > 1 else None)
                top = [{"value": v, "count": c} for v, c in values.most_common(self.maxvals or None)]
                yield {"field": name, "count": present[name], "distinct_count": len(values),
                       "is_exact": int(len(values) < DISTINCT_EXACT), "max": max(nums) if nums else None,
                       "mean": mean, "min": min(nums) if nums else None, "numeric_count": len(nums),
                       "stdev": stdev, "values": orjson.dumps(top).decode()}
        return run
