"""outlier: clamp or remove numeric values outside the interquartile range, as Splunk documents it."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime.values import event_fields, get_field, to_number
from ..syntax import ast
from .base import Command, Kind, to_bool, writable


def _action(text: str) -> str:
    t = text.lower()
    if t in ("transform", "tf"):
        return "transform"
    if t in ("remove", "rm"):
        return "remove"
    raise ValueError("expected transform (tf) or remove (rm)")


def _param(text: str) -> float:
    n = float(text)
    if not n >= 0:
        raise ValueError("expected a number of at least 0")
    return n


def _percentile(values: list[float], p: float) -> float:
    """Splunk's perc (nearest rank on the sorted values)."""
    k = max(0, min(len(values) - 1, math.ceil(p / 100 * len(values)) - 1))
    return values[k]


@dataclass(frozen=True)
class OutlierCommand(Command):
    """Values of numeric fields below 25th perc - param*IQR or above 75th perc + param*IQR (param
    2.5) are clamped to that bound (action=transform, marked with 000 when mark=t) or their results
    removed (action=remove); uselower=f leaves low values alone."""

    name: ClassVar[str] = "outlier"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = ("outlier [action=transform|remove] [mark=<bool>] [param=<num>] [uselower=<bool>] "
                             "[<field>...]")
    example: ClassVar[str] = "outlier action=remove count"
    options: ClassVar[dict] = {"action": _action, "mark": to_bool, "param": _param, "uselower": to_bool,
                               "type": str}

    fields: tuple = ()
    action: str = "transform"
    mark: bool = False
    param: float = 2.5
    uselower: bool = True

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        return cls(args.span, tuple(w.text for w in args.items if isinstance(w, ast.Word)),
                   opts.get("action", "transform"), opts.get("mark", False), opts.get("param", 2.5),
                   opts.get("uselower", True))

    def fields_read(self):
        return frozenset(self.fields) if self.fields else None

    def prepare(self, env):
        def run(events, ctx):
            events = limits.collect(events, self.name, self.span)
            names = self.fields or list(dict.fromkeys(k for ev in events for k in event_fields(ev)
                                                      if not k.startswith("_")))
            bounds = {}
            for name in names:
                nums = sorted(n for n in (to_number(get_field(ev, name)) for ev in events)
                              if n is not None and math.isfinite(n))
                if nums:
                    q1, q3 = _percentile(nums, 25), _percentile(nums, 75)
                    iqr = q3 - q1
                    bounds[name] = (q1 - self.param * iqr if self.uselower else -math.inf, q3 + self.param * iqr)
            for ev in events:
                changed = {}
                for name, (lo, hi) in bounds.items():
                    n = to_number(get_field(ev, name))
                    if n is None or not math.isfinite(n) or lo <= n <= hi:
                        continue
                    if self.action == "remove":
                        changed = None
                        break
                    bound = lo if n < lo else hi
                    bound = int(bound) if math.isfinite(bound) and bound == int(bound) else bound
                    changed[name] = f"000{bound}" if self.mark else bound
                if changed is None:
                    continue
                if changed:
                    ev = writable(ev)
                    ev.update(changed)
                yield ev
        return run
