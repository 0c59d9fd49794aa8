"""Engine: load events once, then compile and run searches over them."""
from __future__ import annotations

import functools
import threading
import time

import os
from collections import ChainMap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar, Union

import orjson

from .catalog import Catalog, command_infos, eval_function_infos, lookup_files, stats_function_infos, top_values
from .commands.base import Command
from . import arguments, limits as limits_module, plan
from .plan import rules
from .errors import Span, SplError
from .executors import Executor, MemoryExecutor
from .functions import EVAL_FUNCTIONS
from .result import Result
from .store import EventStore, load_paths, make_event
from .runtime.context import SearchEnv
from .runtime.timeutil import parse_iso, strftime
from .runtime.values import to_number
from .store.loader import LoadReport
from .store.records import Origins, epoch_seconds
from .store.dataset import read_dataset
from .knowledge import PACKS, Knowledge, attach
from .datamodels import BUNDLED as BUNDLED_MODELS, DataModels
from .syntax.macros import Macro, expand, strip_comments
from .knowledge.conf import load_macros_conf
from .syntax.ast import Pipeline
from .syntax.parser import parse

SAMPLE_DATA = Path(__file__).parent / "data" / "cloudtrail_sample.json.gz"
PathArg = Union[str, "os.PathLike[str]"]  # a path as the library takes one
PathArgs = Union[PathArg, Iterable[PathArg]]  # one path, or several


class _Services:
    """The Engine's side of runtime.context.Services: what its searches may ask of it, and
    nothing more (commands never hold the Engine)."""

    def __init__(self, engine: "Engine") -> None:
        self._engine = engine

    @property
    def eval_functions(self) -> Mapping[str, Any]:
        return self._engine.eval_functions

    @property
    def macros(self) -> Mapping[str, Macro]:
        return self._engine.macros

    @property
    def lookups_dir(self) -> Path:
        return self._engine.lookups_dir

    @property
    def datamodels(self) -> DataModels:
        return self._engine.datamodels

    def scan(self, request: Any, columnar: bool = True) -> Iterable[dict[str, Any]]:
        return self._engine.store.scan(request, columnar)

    def geoip(self, span: Span | None = None) -> Any:
        engine = self._engine
        if engine._geoip_reader is None:
            from .commands.iplocation import open_geoip
            engine._geoip_reader = open_geoip(engine.geoip, span)
        return engine._geoip_reader

    def plan(self, pipeline: Pipeline, text: str) -> list[Command]:
        return plan.build(pipeline, text)

    def check_search(self, text: str) -> None:
        self._engine.compile(text)

    def search_rows(self, text: str) -> list[dict[str, Any]]:
        return self._engine.compile(text).run().rows

    def validate_subsearch(self, pipeline: Pipeline, env: SearchEnv) -> None:
        self._engine.executor.validate_subsearch(pipeline, env)

    def run_subsearch(self, pipeline: Pipeline, env: SearchEnv, maxout: int, maxtime: float) -> list[dict[str, Any]]:
        return self._engine.executor.run_subsearch(pipeline, env, maxout, maxtime)


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _one_at_a_time(method: _Method) -> _Method:
    """Loading and searching share the engine's store: one at a time (an RLock, since a search
    compiles and runs others: map, subsearches). A search sees the store as it was when it began
    and no load is seen half done; concurrent add_events lost events and raised before."""
    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        with (self.engine if isinstance(self, Query) else self)._lock:
            return method(self, *args, **kwargs)
    return guarded  # type: ignore[return-value]  # the same signature, wrapped


@dataclass(frozen=True)
class Query:
    """A compiled search: parsed, macros expanded and validated; run it as often as you like."""
    engine: "Engine"
    text: str
    expanded: str
    commands: tuple[Command, ...]
    warnings: tuple[str, ...] = ()
    # What an executor made of the plan once and keeps with it (the SQL executor's translation),
    # under its own key: not part of the query's identity.
    compiled: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @_one_at_a_time
    @limits_module.within(lambda query: query.engine.limits)
    def run(self, timing: bool = False) -> Result:
        """Run the search; with ``timing``, Result.timings holds each command's own time."""
        return self.engine.executor.run(self, timing)

    def _env(self) -> SearchEnv:
        """What the optimizer's rules see: now is the moment they are asked (a relative time
        such as earliest=-24h is resolved then, as Splunk resolves it when a search runs)."""
        now = self.engine.now if self.engine.now is not None else int(time.time())
        return SearchEnv(self.engine.services, now, self.expanded, validating=True)

    def pushdown(self) -> rules.Pushdown | None:
        """What the plan pushes into the scan of the stored events (plan/rules: one rule per
        file); None when the search starts with a generating command."""
        return rules.pushdown(self.commands, self.engine.knowledge.values(), self._env())

    def time_range(self) -> tuple[float | None, float | None]:
        """(earliest, latest) that the search's earliest=/latest= terms set, as epochs."""
        return rules.time_range(self.commands, self._env())

    def required_text(self) -> list[bytes]:
        """Texts (lower case) that every event this search can return holds; none when the
        search may read other events (a subsearch) or names no such term."""
        return rules.required_text(self.commands, self.engine.knowledge.values())

    def load_fields(self) -> frozenset[str] | None:
        """The fields as extracted that this search reads (its terms', the rest of the
        pipeline's and the inputs of the add-on's fields among them); None when it may read any."""
        return rules.load_fields(self.commands, self.engine.knowledge.values())

    def explain(self) -> str:
        """The plan: what was pushed into the scan of the stored events (terms, fields, the
        text every event must hold, the time range, the fields parsed at load), then each
        command and the path it takes on this engine's executor."""
        lines = [f"Search: {' '.join(self.expanded.split())}"]
        pushed = self.pushdown()
        if pushed is not None:
            fields, load = pushed.fields, pushed.load_fields
            lines += ["Pushed into the scan:",
                      f"  terms: {self.command_text(self.commands[0]) or '*'}",
                      f"  time range: {_epoch_text(pushed.earliest)} to {_epoch_text(pushed.latest)}",
                      f"  fields the rest reads: {'all' if fields is None else ', '.join(sorted(fields)) or 'none'}",
                      f"  text every event holds: "
                      f"{', '.join(w.decode(errors='replace') for w in pushed.required_text) or 'none'}",
                      f"  fields parsed at load (spl-lite query): "
                      f"{'all' if load is None else ', '.join(sorted(load)) or 'none'}"]
        lines += self.engine.executor.explain(self)
        return "\n".join(lines)

    def command_text(self, command: Command) -> str:
        span = command.span
        text = self.expanded[span.start:span.end].strip() if span else command.name
        return text if len(text) <= 60 else text[:57] + "..."


CIM_MACROS = BUNDLED_MODELS / "macros.conf"


def _limits(value: object) -> limits_module.Limits:
    """Engine(limits=...): a Limits, or a dict of the ones to change; a bad name or value is a
    ValueError saying which."""
    if value is None:
        return limits_module.DEFAULT
    if isinstance(value, limits_module.Limits):
        return value
    if not isinstance(value, dict):
        raise TypeError(f"limits takes a dict of limits to change, not {type(value).__name__}")
    try:
        return limits_module.DEFAULT.replace(value)
    except SplError as e:
        raise ValueError(f"limits: {e.message}" + (f" ({e.hint})" if e.hint else "")) from None


class Engine:
    """Holds the events, macros and function registries; ``search`` runs SPL over them."""

    def __init__(self, addons: bool = True, now: float | None = None, lookups_dir: PathArg | None = None, *,
                 knowledge: PathArgs = (), macros: PathArgs = (), geoip: PathArg | None = None,
                 dedup_events: bool = False, limits: limits_module.Limits | dict[str, Any] | None = None,
                 engine: str = "memory", engine_options: Mapping[str, Any] | None = None,
                 datamodels: PathArgs = ()) -> None:
        """``limits``: a Limits or a dict of the ones to change (see spl_lite.limits); ``engine``:
        where searches run, "memory" (the reference), "duckdb" or "spark" (pip install
        'spl-lite[duckdb]' or '[spark]'); ``engine_options``: {"spark_master": URL} or
        {"spark_remote": "sc://host:port"} for a Spark cluster (default: a local session);
        {"columnar": False} runs every command event by event in memory (slower; the reference
        the column paths are tested against); ``datamodels``: files or directories of data models in Splunk's JSON format, added to the
        bundled CIM models (one of the same name replaces it)."""
        self._lock = threading.RLock()
        self.limits = _limits(limits)
        now = arguments.now(now)
        engine = arguments.engine(engine)
        engine_options = arguments.mapping(engine_options, "engine_options")
        knowledge, macros = arguments.paths(knowledge, "knowledge"), arguments.paths(macros, "macros")
        datamodels = arguments.paths(datamodels, "datamodels")
        lookups_dir = arguments.optional_path(lookups_dir, "lookups_dir")
        geoip = arguments.optional_path(geoip, "geoip")
        with limits_module.applied(self.limits):
            self._setup(addons, now, lookups_dir, knowledge, macros, geoip, dedup_events)
            self.datamodels = DataModels(datamodels)
            self.knowledge_warnings += self.datamodels.warnings
        if engine == "memory":
            columnar = engine_options.get("columnar", True)
            if not isinstance(columnar, bool):
                raise TypeError(f"engine_options' columnar takes True or False, not {columnar!r}")
            self.executor: Executor = MemoryExecutor(self, columnar=columnar)
        else:
            from .sql import SqlExecutor
            self.executor = SqlExecutor(self, engine, engine_options)

    def _setup(self, addons: bool, now: float | None, lookups_dir: Path | None, knowledge: list[Path],
               macros: list[Path], geoip: Path | None, dedup_events: bool) -> None:
        self.services = _Services(self)
        self.executor = MemoryExecutor(self)
        self.addons = addons
        self.now = now
        self.lookups_dir = Path(lookups_dir) if lookups_dir else Path("lookups")
        if self.lookups_dir.exists() and not self.lookups_dir.is_dir():
            raise SplError(f"The lookups directory {self.lookups_dir} is not a directory.")
        self.geoip = geoip
        self._geoip_reader = None
        self.macros: dict[str, Macro] = {}
        self.eval_functions = ChainMap({}, EVAL_FUNCTIONS)
        self.knowledge_warnings: list[str] = []
        self._decorate = self._read_knowledge(knowledge)
        # The CIM add-on's macros (drop_dm_object_name, the data models' index lists) come first:
        # the user's own definitions replace them.
        self.knowledge_warnings += load_macros_conf(CIM_MACROS, self.macros)
        self._bundled_macros = dict(self.macros)
        for path in macros:
            self.knowledge_warnings += load_macros_conf(Path(path), self.macros)
        self.store = EventStore()
        self.load_report = LoadReport()
        self._seen_ids: set[str] | None = set() if dedup_events else None
        self._seen_files: set[str] = set()  # real paths loaded: a file is never read twice

    def _read_knowledge(self, paths: list[Path]) -> Callable[..., Any] | None:
        """Read the bundled packs (with addons) and the user's files; a function that gives an
        origin its sourcetype's knowledge, or None when there is no knowledge at all."""
        kb = Knowledge()
        kb.lookup_dirs.append(self.lookups_dir)
        for pack in (PACKS if self.addons else ()):
            kb.add(pack)
        for p in paths:
            kb.add(Path(p))
        compiled = kb.compile(SearchEnv(self.services, self.now, validating=True))
        self.knowledge_warnings += kb.warnings
        # Per sourcetype ("*" for the others), what search-time knowledge defines: SQL executors
        # translate these definitions.
        self.knowledge = {st: k for st, k in compiled.items() if k is not None}
        if all(v is None for v in compiled.values()):
            return None
        return attach(compiled)

    # -------------------------------------------------------------- data
    @_one_at_a_time
    @limits_module.within(lambda engine: engine.limits)
    def load(self, path: PathArg, *, sourcetype: str | None = None, index: str = "main", host: str = "localhost",
             earliest: float | None = None, latest: float | None = None,
             progress: Callable[[LoadReport], None] | None = None, only_for: "Query | None" = None) -> LoadReport:
        """Load a file, a directory (recursively), a zip or a glob of JSON event files.

        With ``earliest``/``latest`` (epoch), files in CloudTrail's S3 layout whose day lies
        outside that range are not read; ``progress(report)`` is called after each file.
        With ``only_for`` (a search to be run once, as `spl-lite query` does), only events whose
        text holds that search's literal terms are parsed and kept; the engine then answers
        that search only. A dataset made by ``spl-lite ingest`` is searched where it lies.
        """
        checked = arguments.optional_path(path, "load's path")
        if checked is None:
            raise TypeError("load's path takes a path (str or os.PathLike), not NoneType")
        path = checked
        for name, value in (("sourcetype", sourcetype), ("index", index), ("host", host)):
            if value is not None:
                arguments.text(value, f"load's {name}")
        earliest, latest = arguments.epoch(earliest, "earliest"), arguments.epoch(latest, "latest")
        dataset = read_dataset(Path(path)) if Path(path).is_dir() else None
        if dataset is not None:
            return self._attach(Path(path), dataset)
        if self.executor.dataset is not None:
            raise SplError("An engine searches one ingested dataset, and no events loaded besides it.")
        prune = only_for if only_for is not None and self.executor.prunes_load else None
        wanted = prune.required_text() if prune is not None else None
        if wanted:
            self.store.partial = True  # "no event has field x" would not be known any more
        if prune is not None:
            # The columns made at load are those the one search reads; any other is made on first use.
            self.store.load_fields = prune.load_fields()
        report = load_paths([path], self.store, sourcetype=sourcetype, index=index, host=host,
                            decorate=self._decorate, earliest=earliest, latest=latest,
                            seen_ids=self._seen_ids, seen_files=self._seen_files, progress=progress,
                            wanted=wanted)
        self.store.finish()  # order newest first now: it is part of loading, not of a search
        self.load_report.merge(report)
        return report

    def _attach(self, path: Path, dataset: dict[str, Any]) -> LoadReport:
        self.executor.attach(path, dataset)
        report = LoadReport()
        report.events, report.files = dataset.get("events", 0), 1
        return report

    def load_sample(self) -> LoadReport:
        return self.load(SAMPLE_DATA)

    @_one_at_a_time
    def add_events(self, events: Iterable[Mapping[str, Any]], index: str = "main", sourcetype: str = "aws:cloudtrail",
                   host: str | None = None, source: str | None = None) -> int:
        """Add JSON event bodies; a "_time" key (epoch seconds or ISO 8601 text) sets the time and
        is not in _raw. A _time that is neither is an SplError naming the event."""
        # Their time is given, not read from their text, so they have no date_* fields.
        origins = Origins(source or "add_events", sourcetype, index, host or "localhost", self._decorate,
                          dates=False)
        for name, value in (("index", index), ("sourcetype", sourcetype), ("host", host), ("source", source)):
            if value is not None:
                arguments.text(value, f"add_events' {name}")
        made = []
        for i, body in enumerate(arguments.events(events)):
            if not isinstance(body, Mapping):
                raise TypeError(f"add_events takes events as dicts; event {i + 1} is a {type(body).__name__}")
            body = dict(body)
            given = body.pop("_time", None)
            t = given_time(given)
            if given is not None and t is None:
                raise SplError(f"Event {i + 1} has _time \"{given}\", which is neither an epoch nor an ISO 8601 "
                               "time such as 2024-03-04T10:00:00Z.")
            try:
                raw = orjson.dumps(body).decode()
            except (TypeError, orjson.JSONEncodeError) as e:
                raise SplError(f"Event {i + 1} cannot be written as JSON: {e}.") from None
            if t is not None:
                body["_time"] = t
            made.append(make_event(body, raw, origins))
        return self.store.add(made)

    @_one_at_a_time
    def clear(self) -> None:
        """Forget every loaded event (macros, knowledge and limits stay)."""
        self.store = EventStore()
        self.load_report = LoadReport()
        self._seen_files.clear()
        if self._seen_ids is not None:
            self._seen_ids.clear()

    @_one_at_a_time
    def catalog(self) -> Catalog:
        """What a user may type against this engine: fields (ranked by how many events have
        them) and their values, macros, lookup files, commands and functions."""
        store = self.store

        def values(name: str, n: int = 10) -> list[tuple[str, int]]:
            return top_values(store.column(name), n)
        return Catalog(
            fields=store.field_catalog(), values=values,
            macros={k: m.definition for k, m in sorted(self.macros.items())},
            bundled_macros=frozenset(k for k, m in self.macros.items() if self._bundled_macros.get(k) is m),
            lookups=lookup_files(self.lookups_dir), commands=command_infos(),
            eval_functions=eval_function_infos(self.eval_functions),
            stats_functions=stats_function_infos(), events=len(store), estimated=store.catalog_is_estimated)

    def define_macro(self, name: str, definition: str, args: str | Iterable[str] = ()) -> None:
        """A macro as macros.conf defines one: `name` in a search expands to ``definition``;
        with ``args``, `name(a, b)` fills $a$ and $b$."""
        arguments.text(name, "define_macro's name")
        arguments.text(definition, "define_macro's definition")
        args = [arguments.text(a, "define_macro's args") for a in
                ([args] if isinstance(args, str) else arguments.paths_free_list(args, "define_macro's args"))]
        if not name.strip():
            raise ValueError("define_macro's name is empty")
        m = Macro(name, definition, tuple(args))
        self.macros[m.key] = m

    # -------------------------------------------------------------- searching
    @_one_at_a_time
    @limits_module.within(lambda engine: engine.limits)
    def compile(self, text: str) -> Query:
        """Parse, expand macros and validate a search; raises SplError with the spot marked."""
        warnings: list[str] = []
        arguments.text(text, "the search")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise SplError("The search is not valid UTF-8 text.", command="SearchParser",
                           span=Span(e.start, e.end), query=text) from None
        try:
            expanded = expand(strip_comments(text), self.macros, warnings, _query=text)
        except SplError as e:
            raise e.with_query(text) from None
        try:
            pipeline = parse(expanded)
            commands = plan.build(pipeline, expanded, warnings)
            env = SearchEnv(self.services, self.now, expanded, validating=True)
            for c in commands:
                c.prepare(env)  # compiles expressions and search terms: fails here, not mid-run
        except SplError as e:
            raise e.with_query(expanded) from None
        query = Query(self, text, expanded, tuple(commands), tuple(warnings))
        self.executor.check(query)  # an engine that cannot run it says so now, before any work
        return query

    def search(self, text: str) -> Result:
        return self.compile(text).run()



def _epoch_text(t: float | None) -> str:
    return "any" if t is None else f"{strftime(t, '%Y-%m-%dT%H:%M:%SZ')} ({t:g})"


def given_time(value: object) -> float | None:
    """The epoch for a _time given with an event: a number (any epoch precision) or ISO text."""
    if value is None or isinstance(value, bool):
        return None
    n = to_number(value)
    if n is not None:
        return epoch_seconds(n)
    return parse_iso(value) if isinstance(value, str) else None

