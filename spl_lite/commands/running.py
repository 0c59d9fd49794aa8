"""Commands that carry values from one result to the next, in search order: accum, delta,
autoregress, filldown."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import event_fields, get_field, to_number
from ..runtime.values.scalar import Wildcard
from ..syntax import ast
from .base import Command, Kind, to_int, writable


def _field_and_alias(cls, args) -> tuple[str, str | None]:
    names = [w.text for w in args.items if isinstance(w, ast.Word)]
    alias = next((a.name.text for a in args.items if isinstance(a, ast.AsClause)), None)
    if len(names) != 1:
        raise cls.error(f"Usage: {cls.syntax}", args.span)
    return names[0], alias


def _number(x):
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 2 ** 53 else x


@dataclass(frozen=True)
class AccumCommand(Command):
    """A running total of a numeric field, for each result where it is a number."""

    name: ClassVar[str] = "accum"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "accum <field> [AS <newfield>]"
    example: ClassVar[str] = "accum count AS total_count"

    field: str = ""
    alias: str | None = None

    @classmethod
    def from_args(cls, args):
        return cls(args.span, *_field_and_alias(cls, args))

    def prepare(self, env):
        def run(events, ctx):
            total = 0
            for ev in events:
                n = to_number(get_field(ev, self.field))
                if n is not None:
                    total += n
                    ev = writable(ev)
                    ev[self.alias or self.field] = _number(total)
                yield ev
        return run


@dataclass(frozen=True)
class DeltaCommand(Command):
    """The difference between a numeric field and its value p results before (default 1)."""

    name: ClassVar[str] = "delta"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "delta <field> [AS <newfield>] [p=<N>]"
    example: ClassVar[str] = "delta count AS change p=1"
    options: ClassVar[dict] = {"p": to_int}

    field: str = ""
    alias: str | None = None
    p: int = 1

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        p = opts.get("p", 1)
        if not 1 <= p <= 10000:
            raise cls.error("p must be a whole number from 1 to 10000.", args.span)
        return cls(args.span, *_field_and_alias(cls, args), p)

    def prepare(self, env):
        out_name = self.alias or f"delta({self.field})"

        def run(events, ctx):
            seen: list = []
            for ev in events:
                n = to_number(get_field(ev, self.field))
                if n is not None:
                    if len(seen) >= self.p:
                        ev = writable(ev)
                        ev[out_name] = _number(n - seen[-self.p])
                    seen.append(n)
                    del seen[:-self.p]
                yield ev
        return run


@dataclass(frozen=True)
class AutoregressCommand(Command):
    """Copy a field's value from earlier results: <field>_p<n> for each n of p=<n> or p=<a>-<b>."""

    name: ClassVar[str] = "autoregress"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "autoregress <field> [AS <newfield>] [p=<N>|p=<N>-<M>]"
    example: ClassVar[str] = "autoregress count p=1-3"
    options: ClassVar[dict] = {"p": str}

    field: str = ""
    alias: str | None = None
    lags: tuple = (1,)

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        field, alias = _field_and_alias(cls, args)
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", opts.get("p", "1"))
        lo, hi = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, 0)
        if not m or not 1 <= lo <= hi <= 10000:
            raise cls.error("p must be a number or a range such as 1-3 (from 1 to 10000).", args.span)
        if alias and hi > lo:
            raise cls.error("AS names one field: it needs a single p, not a range.", args.span)
        return cls(args.span, field, alias, tuple(range(lo, hi + 1)))

    def prepare(self, env):
        names = {n: (self.alias or f"{self.field}_p{n}") for n in self.lags}
        depth = max(self.lags)

        def run(events, ctx):
            seen: list = []
            for ev in events:
                value = get_field(ev, self.field)
                filled = {names[n]: seen[-n] for n in self.lags if len(seen) >= n and seen[-n] is not None}
                if filled:
                    ev = writable(ev)
                    ev.update(filled)
                seen.append(value)
                del seen[:-depth]
                yield ev
        return run


@dataclass(frozen=True)
class FilldownCommand(Command):
    """Give a null field the last value it had in an earlier result (all fields, or those listed,
    wildcards allowed)."""

    name: ClassVar[str] = "filldown"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "filldown [<field>...]"
    example: ClassVar[str] = "filldown user src"

    fields: tuple = ()

    @classmethod
    def from_args(cls, args):
        return cls(args.span, tuple(w.text for w in args.items if isinstance(w, ast.Word)))

    def fields_read(self):
        return None

    def prepare(self, env):
        rxs = [Wildcard(f, ignore_case=False) for f in self.fields]

        def run(events, ctx):
            last: dict = {}
            for ev in events:
                present = event_fields(ev)
                present = {k: v for k, v in present.items() if not rxs or any(rx.match(k) for rx in rxs)}
                missing = {k: v for k, v in last.items() if k not in present}
                if missing:
                    ev = writable(ev)
                    ev.update(missing)
                last.update(present)
                yield ev
        return run
