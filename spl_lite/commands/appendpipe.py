"""appendpipe: run a piece of pipeline over the results so far and append what it gives."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime.values import copy_event
from ..syntax import ast
from .base import Command, Kind, to_bool
from .fragment import compile_fragment, run_fragment


@dataclass(frozen=True)
class AppendpipeCommand(Command):
    """Append to the results what a piece of pipeline makes of them (subtotals, a summary row)."""

    name: ClassVar[str] = "appendpipe"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = "appendpipe [run_in_preview=<bool>] [<commands>]"
    example: ClassVar[str] = 'appendpipe [stats sum(count) AS count | eval user="TOTAL"]'
    options: ClassVar[dict] = {"run_in_preview": to_bool}
    ignored_options: ClassVar[frozenset] = frozenset({"run_in_preview"})

    body: str = ""
    body_start: int = 0

    @classmethod
    def from_args(cls, args):
        cls.read_options(args.items)
        template = next((t for t in args.items if isinstance(t, ast.Template)), None)
        return cls(args.span, template.text, template.span.start + 1)

    def fields_read(self):
        return None

    def prepare(self, env):
        runners = compile_fragment(self.body, env, command=self.name, offset=self.body_start)

        def run(events, ctx):
            events = limits.collect(events, self.name, self.span)
            yield from events
            # Its own copies: results the pipeline made are changed in place by later commands.
            yield from run_fragment(runners, [copy_event(ev) for ev in events], ctx)
        return run
