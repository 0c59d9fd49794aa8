"""eval: compute fields from expressions, left to right."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..compiler.expressions import compile_expr, is_boolean
from ..runtime.values import set_field
from ..syntax import ast
from ..columnar.kernels import eval_selection
from .base import Command, Kind, writable


@dataclass(frozen=True)
class EvalCommand(Command):
    """Compute fields from eval expressions; later assignments see earlier ones."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "eval"
    kind: ClassVar[Kind] = Kind.STREAMING
    always_writes: ClassVar[bool] = True
    syntax: ClassVar[str] = "eval <field>=<expression> [, <field>=<expression>]..."
    example: ClassVar[str] = 'eval action=if(errorCode="AccessDenied", "blocked", "allowed")'

    assignments: tuple = ()

    @classmethod
    def from_args(cls, args: ast.CommandArgs):
        assigns = tuple(i for i in args.items if isinstance(i, ast.Assignment))
        if not assigns:
            raise cls.error("Arguments are missing. Usage: eval dest_key = expression.", args.span)
        return cls(args.span, assigns)

    def fields_written(self):
        return frozenset(a.target for a in self.assignments)

    def prepare(self, env):
        compiled = []
        for a in self.assignments:
            if is_boolean(a.expr, env.eval_functions):
                raise self.error("Fields cannot be assigned a boolean result. Instead, try "
                                 "if([bool expr], [expr], [expr]).", a.expr.span or a.span)
            compiled.append((a.target, compile_expr(a.expr, env, "eval")))

        def run(events, ctx):
            columns = eval_selection(events, self.assignments, compiled)
            return columns if columns is not None else by_event(events)

        def by_event(events):
            for ev in events:
                ev = writable(ev)
                for target, fn in compiled:
                    v = fn(ev)
                    if type(v) is bool:
                        v = None
                    set_field(ev, target, v)
                yield ev
        return run
