"""tstats: statistics over a data model's datasets (or the events' indexed fields).

spl_lite's data models have no accelerated summaries, so tstats does what Splunk does for an
unaccelerated model: it runs the dataset's constraint searches and calculations over the events,
names the model's fields as ``Dataset.field`` and aggregates them as stats does. Without a data
model it sees only the indexed fields: _time, index, sourcetype, source and host.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..datamodels import Dataset
from ..compiler.aggregation import split_stats_items
from ..compiler.search_terms import TimeRange, compile_search
from ..runtime.values import get_field
from ..store.memory import ScanRequest
from ..syntax.ast import named_fields
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, to_text
from .bin import BinCommand, check_span
from ..datamodels.search import DatasetSearch
from .stats import StatsCommand

INDEXED = ("_time", "index", "sourcetype", "source", "host", "splunk_server")


@dataclass(frozen=True)
class TstatsCommand(Command):
    """Statistics over a data model's dataset (count, dc, values, ... BY Dataset.field), or over
    the indexed fields of every event when no model is named."""

    name: ClassVar[str] = "tstats"
    kind: ClassVar[Kind] = Kind.GENERATING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = ("| tstats [prestats=<bool>] [summariesonly=<bool>] [fillnull_value=<text>] <functions> "
                             "[FROM datamodel=<model>[.<dataset>]] [WHERE <search terms>] [BY <fields> [span=<time>]]")
    example: ClassVar[str] = ("| tstats count from datamodel=Authentication where Authentication.action=failure "
                              "by Authentication.user")
    # summariesonly and allow_old_summaries choose among accelerated summaries; with none, the
    # events themselves are read, as Splunk does for a model that is not accelerated.
    options: ClassVar[dict] = {"prestats": to_bool, "summariesonly": to_bool, "allow_old_summaries": to_bool,
                               "fillnull_value": to_text, "local": to_bool, "append": to_bool,
                               "chunk_size": to_int, "include_reduced_buckets": to_bool, "span": to_text}

    aggregates: tuple = ()
    datamodel: str | None = None
    where: Any = None  # the where clause's search terms
    by: tuple = ()
    span_text: str | None = None
    prestats: bool = False
    fillnull: str | None = None
    from_span: object = None

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        datamodel, from_span = None, None
        for item in args.items:
            if isinstance(item, ast.FromClause):
                target, from_span = item.target, item.span
                if isinstance(target, ast.Option) and target.name.lower() == "datamodel":
                    datamodel, from_span = target.value, target.value_span or item.span
                else:
                    text = target.text if isinstance(target, ast.Word) else f"{target.name}={target.value}"
                    raise cls.error(f"tstats reads data models (FROM datamodel=<name>); '{text}' is a tscollect "
                                    "namespace or job, which spl_lite does not have.", item.span)
        where = next((i for i in args.items if not isinstance(
            i, (ast.Option, ast.StatsAgg, ast.ByClause, ast.FromClause))), None)
        aggs, by = split_stats_items(cls, args)
        check_span(cls, args)
        return cls(args.span, tuple(aggs), datamodel, where, by, opts.get("span"), opts.get("prestats", False),
                   opts.get("fillnull_value"), from_span)

    def fields_read(self):
        return None

    def prepare(self, env):
        dataset, where = self._dataset(env)
        where_test, where_range = compile_search(where, env, command=self.name, leading=True)
        names = self._row_fields(where)
        reads = None if names is None or dataset is None else frozenset(
            s for s in (dataset.source_field(n) for n in names) if s is not None)
        if dataset is not None and names is not None and any(n in dataset.below for n in names):
            reads = None  # a child's field is read through that child's own steps
        search = DatasetSearch(dataset, env, self.span, where_range, reads) if dataset else None
        stats = StatsCommand(self.span, self.aggregates, self.by).prepare(env)
        binned = BinCommand(self.span, "_time", None, self.span_text).prepare(env) \
            if self.span_text and "_time" in self.by else None
        fill = self.fillnull
        everything = ScanRequest(None, TimeRange(where_range.earliest, where_range.latest),
                                 compile_search(None, env)[0], lambda node: compile_search(node, env, leading=True)[0])

        def run(events, ctx):
            if search is not None:
                fields = names if names is not None else search.all_fields()
                rows = (search.row(ev, fields) for ev in search.events(ctx.scan))
            else:
                fields = names if names is not None else INDEXED
                rows = ({**{n: get_field(ev, n) if n in INDEXED else None for n in fields},
                         "_time": get_field(ev, "_time")} for ev in ctx.scan(everything))
            rows = filter(where_test, rows)  # the scan kept the WHERE clause's time range
            if binned is not None:
                rows = binned(rows, ctx)
            if fill is not None:
                rows = _filled(rows, self.by, fill)
            if self.prestats:
                ctx.tabular = True
                return rows
            return stats(rows, ctx)
        return run

    def _dataset(self, env) -> tuple[Dataset | None, object]:
        """The dataset searched and the WHERE terms left once a nodename= term has chosen a child."""
        if self.datamodel is None:
            return None, self.where
        models = env.services.datamodels
        dataset = models.dataset(self.datamodel, self.from_span)
        terms = self.where.terms if isinstance(self.where, ast.And) else (self.where,) if self.where else ()
        node = next((t for t in terms if isinstance(t, ast.FieldMatch) and t.field.lower() == "nodename"
                     and t.op in ("=", "==")), None)
        if node is not None:
            dataset = models.dataset(f"{dataset.model}.{node.value}", node.span)
            rest = tuple(t for t in terms if t is not node)
            return dataset, (rest[0] if len(rest) == 1 else ast.And(rest, self.where.span) if rest else None)
        return dataset, self.where

    def _row_fields(self, where) -> tuple | None:
        """The names each row needs (WHERE, BY and the functions' fields); None: every field."""
        names = set(self.by)
        for agg in self.aggregates:
            if isinstance(agg.arg, ast.Word):
                names.add(agg.arg.text)
            elif agg.arg is not None:
                return None
        found = named_fields(where) if where is not None else set()
        if found is None or self.prestats or any("*" in n for n in names):
            return None
        return tuple(sorted(names | found))


def _filled(rows, by, value):
    """fillnull_value: a BY field with no value takes this one, so its events still count."""
    for r in rows:
        for f in by:
            if r.get(f) is None:
                r[f] = value
        yield r
