"""metadata: the hosts, sources or sourcetypes of the loaded events, with counts and times."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..compiler.search_terms import TimeRange, compile_search
from ..runtime.values import get_field, to_number
from ..store.memory import ScanRequest
from ..syntax import ast
from .base import Command, Kind, to_text

TYPES = {"hosts": "host", "sources": "source", "sourcetypes": "sourcetype"}


def _type(text: str) -> str:
    if text.lower() not in TYPES:
        raise ValueError("expected hosts, sources or sourcetypes")
    return text.lower()


@dataclass(frozen=True)
class MetadataCommand(Command):
    """One row per host, source or sourcetype: firstTime, lastTime, recentTime, totalCount."""

    name: ClassVar[str] = "metadata"
    kind: ClassVar[Kind] = Kind.GENERATING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = "| metadata type=hosts|sources|sourcetypes [index=<index>]"
    example: ClassVar[str] = "| metadata type=sourcetypes index=main"
    options: ClassVar[dict] = {"type": _type, "index": to_text, "splunk_server": to_text,
                               "splunk_server_group": to_text, "datatype": to_text}
    ignored_options: ClassVar[frozenset] = frozenset({"splunk_server", "splunk_server_group", "datatype"})

    type: str = ""
    index: str = "*"

    @classmethod
    def from_args(cls, args):
        cls.reject_extra(args.items, ast.Option)
        opts = cls.read_options(args.items)
        if "type" not in opts:
            raise cls.error(f"metadata needs type=. Usage: {cls.syntax}", args.span)
        return cls(args.span, opts["type"], opts.get("index", "*"))

    def prepare(self, env):
        terms = ast.FieldMatch("index", "=", self.index)
        test, _ = compile_search(terms, env, command=self.name, leading=True)
        request = ScanRequest(terms, TimeRange(), test, lambda node: compile_search(node, env, leading=True)[0],
                              frozenset({"_time", TYPES[self.type]}))
        field = TYPES[self.type]

        def run(events, ctx):
            ctx.tabular = True
            seen: dict = {}
            for ev in ctx.scan(request):
                key, t = get_field(ev, field), to_number(get_field(ev, "_time"))
                row = seen.setdefault(key, {"firstTime": t, "lastTime": t, "totalCount": 0})
                row["totalCount"] += 1
                if t is not None:
                    row["firstTime"] = t if row["firstTime"] is None else min(row["firstTime"], t)
                    row["lastTime"] = t if row["lastTime"] is None else max(row["lastTime"], t)
            for key in sorted(seen, key=str):
                row = seen[key]
                # recentTime is when Splunk indexed the latest event: here, the latest event's time.
                yield {"firstTime": row["firstTime"], "lastTime": row["lastTime"], "recentTime": row["lastTime"],
                       field: key, "totalCount": row["totalCount"], "type": self.type}
        return run
