"""head, tail, reverse: take results from the start or the end, or turn the order around."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..compiler.expressions import compile_expr
from ..syntax import ast
from ..columnar.kernels import head_selection
from .base import Command, Kind, to_bool, to_int, words


def _count(cls, args, default=10):
    ws = words(args.items)
    if len(ws) > 1:
        raise cls.error(f"Usage: {cls.syntax}", ws[1].span)
    if ws:
        try:
            n = to_int(ws[0].text)
        except ValueError:
            raise cls.error(f"Expected a number of results, got '{ws[0].text}'.", ws[0].span) from None
        return n
    return default


@dataclass(frozen=True)
class HeadCommand(Command):
    """The first N results (default 10), or results while an expression is true."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "head"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "head [<N>] [limit=<N>] [(<eval-expression>)] [null=<bool>] [keeplast=<bool>]"
    example: ClassVar[str] = "head 20"
    options: ClassVar[dict] = {"limit": to_int, "null": to_bool, "keeplast": to_bool}

    limit: int = 10
    expr: object = None
    keeplast: bool = False
    null: bool = False

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        n = opts.get("limit", _count(cls, args))
        expr = next((i.expr for i in args.items if isinstance(i, ast.ExprArg)), None)
        return cls(args.span, n, expr, opts.get("keeplast", False), opts.get("null", False))

    def prepare(self, env):
        limit = self.limit
        test = compile_expr(self.expr, env, "head") if self.expr is not None else None

        def run(events, ctx):
            if test is None:
                columns = head_selection(events, max(limit, 0))
                if columns is not None:
                    return columns
            return by_event(events)

        def by_event(events):
            taken = 0
            for ev in events:
                if taken >= limit:
                    return
                if test is not None:
                    v = test(ev)
                    if not (v is True or (v is None and self.null)):
                        if self.keeplast:
                            yield ev
                        return
                taken += 1
                yield ev
        return run


@dataclass(frozen=True)
class TailCommand(Command):
    """The last N results (default 10), the last one first."""

    name: ClassVar[str] = "tail"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = "tail [<N>]"
    example: ClassVar[str] = "tail 5"

    limit: int = 10

    @classmethod
    def from_args(cls, args):
        return cls(args.span, _count(cls, args))

    def prepare(self, env):
        limit = self.limit

        def run(events, ctx):
            last = deque(events, maxlen=limit) if limit > 0 else limits.collect(events, self.name, self.span)
            return reversed(last)
        return run


@dataclass(frozen=True)
class ReverseCommand(Command):
    """The results in reverse order."""

    name: ClassVar[str] = "reverse"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = "reverse"
    example: ClassVar[str] = "reverse"

    @classmethod
    def from_args(cls, args):
        cls.reject_extra(args.items)
        return cls(args.span)

    def prepare(self, env):
        return lambda events, ctx: reversed(limits.collect(events, self.name, self.span))
