"""where: keep the results for which an eval expression is true."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..compiler.expressions import compile_expr
from ..syntax import ast
from ..columnar.kernels import where_selection
from .base import Command, Kind


@dataclass(frozen=True)
class WhereCommand(Command):
    """Keep the results for which an eval expression is true (case-sensitive; null is false)."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "where"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "where <eval-expression>"
    example: ClassVar[str] = 'where mvcount(sources) > 1 AND like(user, "adm%")'

    expr: object = None

    @classmethod
    def from_args(cls, args: ast.CommandArgs):
        exprs = [i if isinstance(i, ast.ExprArg) else ast.ExprArg(i, i.span) for i in args.items
                 if isinstance(i, (ast.ExprArg, ast.Subsearch))]
        if len(exprs) != 1:
            raise cls.error("Usage: where <eval-expression>.", args.span)
        return cls(args.span, exprs[0].expr)

    def prepare(self, env):
        test = compile_expr(self.expr, env, "where")

        def run(events, ctx):
            columns = where_selection(events, self.expr, test)
            return columns if columns is not None else (ev for ev in events if test(ev) is True)
        return run
