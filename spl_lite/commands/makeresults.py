"""makeresults: generate results that hold only _time."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int


@dataclass(frozen=True)
class MakeresultsCommand(Command):
    """Generate N results (default 1) that hold only _time, the time of the search."""

    name: ClassVar[str] = "makeresults"
    kind: ClassVar[Kind] = Kind.GENERATING
    syntax: ClassVar[str] = "| makeresults [count=<N>] [annotate=<bool>]"
    example: ClassVar[str] = '| makeresults | eval s="a,b,c" | eval m=split(s, ",")'
    options: ClassVar[dict] = {"count": to_int, "annotate": to_bool}

    count: int = 1
    annotate: bool = False

    @classmethod
    def from_args(cls, args):
        cls.reject_extra(args.items, ast.Option)
        opts = cls.read_options(args.items)
        count = opts.get("count", 1)
        if count > limits.current().makeresults_count:
            raise limits.exceeded("makeresults_count", "makeresults asks for more results than the limit",
                                  command=cls.name, span=args.span)
        return cls(args.span, count, opts.get("annotate", False))

    def prepare(self, env):
        def run(events, ctx):
            t = int(ctx.now)
            for _ in range(self.count):
                ev = {"_time": t}
                if self.annotate:
                    ev.update({"_raw": None, "host": None, "source": None, "sourcetype": None,
                               "splunk_server": "local", "splunk_server_group": None})
                yield ev
        return run
