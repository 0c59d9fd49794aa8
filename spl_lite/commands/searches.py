"""Commands that run other searches: multisearch (several searches at once, merged by time) and
map (a templated search once per result)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..errors import SplError
from ..runtime.values import get_field, to_string
from ..syntax import ast
from ..syntax.tokens import fill_tokens
from .base import Command, Kind, to_int, to_text


@dataclass(frozen=True)
class MultisearchCommand(Command):
    """Run several searches and give their events together, newest first."""

    name: ClassVar[str] = "multisearch"
    kind: ClassVar[Kind] = Kind.GENERATING
    syntax: ClassVar[str] = "| multisearch [<search>] [<search>]..."
    example: ClassVar[str] = "| multisearch [search eventName=ConsoleLogin] [search errorCode=AccessDenied]"

    searches: tuple = ()

    @classmethod
    def from_args(cls, args):
        subs = tuple(i for i in args.items if isinstance(i, ast.Subsearch))
        if len(subs) < 2:
            raise cls.error("multisearch needs at least two searches in brackets.", args.span)
        return cls(args.span, subs)

    def fields_read(self):
        return None

    def prepare(self, env):
        for sub in self.searches:  # each must be a streaming search: checked now, as Splunk does
            for c in env.services.plan(sub.pipeline, env.text):
                if c.kind in (Kind.TRANSFORMING, Kind.DATASET):
                    raise SplError(f"multisearch runs streaming searches only, not '{c.name}'.", command=self.name,
                                   span=c.span)

        def run(events, ctx):
            rows = []
            for sub in self.searches:
                rows += env.services.run_subsearch(sub.pipeline, env, limits.current().dataset_rows, float("inf"))
            rows.sort(key=lambda r: -(float(get_field(r, "_time") or 0)))
            return iter(rows)
        return run


@dataclass(frozen=True)
class MapCommand(Command):
    """Run a search once for each result (at most maxsearches, default 10), its $field$ tokens
    taken from that result, and give all their results."""

    name: ClassVar[str] = "map"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = '| map search="<search with $field$>" [maxsearches=<N>] | map [<search>]'
    example: ClassVar[str] = 'map search="search index=main userName=$userName$ | head 5" maxsearches=3'
    options: ClassVar[dict] = {"search": to_text, "maxsearches": to_int}

    template: str = ""
    maxsearches: int = 10

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        template = next((t.text for t in args.items if isinstance(t, ast.Template)), None) or opts.get("search")
        if not template:
            raise cls.error(f"map needs a search. Usage: {cls.syntax}", args.span)
        return cls(args.span, template, opts.get("maxsearches", 10))

    def fields_read(self):
        return None

    def prepare(self, env):
        if self.maxsearches > limits.current().map_maxsearches:
            raise limits.exceeded("map_maxsearches", f"map maxsearches={self.maxsearches:,} asks for more "
                                  "searches than one map may run", command=self.name, span=self.span)
        # A search that cannot compile with its tokens filled in is reported now.
        sample = fill_tokens(self.template, lambda name: "0")  # 0 reads as a value, a time and a number alike
        try:
            env.services.check_search(sample)
        except SplError as e:
            raise SplError(f"The search of map does not compile: {e.message}", command=self.name,
                           span=self.span, hint=e.hint) from None

        def run(events, ctx):
            for i, ev in enumerate(events):
                if i >= self.maxsearches:
                    ctx.warnings.append(f"map ran {self.maxsearches} searches (maxsearches); the other results "
                                        "were not used.")
                    break

                def value_of(name, i=i, ev=ev):
                    v = i + 1 if name == "_serial_id" else get_field(ev, name)
                    return "" if v is None else to_string(v[0] if isinstance(v, list) else v)
                # Each value stays one value, quoted or escaped where it stands: data never runs as SPL.
                yield from env.services.search_rows(fill_tokens(self.template, value_of, span=self.span))
        return run
