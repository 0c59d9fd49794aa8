"""The in-memory executor: the reference, checked against Splunk. Each command node of a
compiled plan becomes a generator over the engine's event store."""
from __future__ import annotations

import time

from .. import limits
from ..runtime.context import RunContext, SearchEnv
from ..errors import SplError
from ..plan.rules import leading_search
from ..result import Result, field_warnings


class MemoryExecutor:
    name = "memory"
    prunes_load = True
    dataset = None  # it searches loaded events only

    def __init__(self, engine, columnar: bool = True):
        """``columnar``: commands work a column at a time where they can (False: event by
        event everywhere, the reference the column paths are tested against)."""
        self.engine = engine
        self.columnar = columnar

    def run(self, query, timing: bool = False) -> Result:
        """A query's result; with ``timing``, Result.timings holds each command's own time."""
        engine = self.engine
        now = engine.now if engine.now is not None else int(time.time())
        warnings = list(query.warnings)
        ctx = RunContext(engine.services, now, warnings, self.columnar)
        env = SearchEnv(engine.services, now, query.expanded, warnings=warnings)
        try:
            with limits.search_memory():  # what the search takes is measured from here
                return self._run(query, ctx, env, warnings, timing)
        except SplError as e:
            raise e.with_query(query.expanded) from None

    def _run(self, query, ctx, env, warnings, timing):
        engine = self.engine
        clocks = _Clocks(len(query.commands)) if timing else None
        runners = [c.prepare(env) for c in query.commands]
        stream = iter(())
        for i, runner in enumerate(runners):
            if clocks is None:
                stream = runner(stream, ctx)  # some commands (sort, tail) do their work here
            else:
                stream = clocks.wrap(i, clocks.call(i, runner, stream, ctx))
        rows = limits.collect(stream)
        result = Result.from_events(rows, tabular=ctx.tabular, warnings=warnings)
        if not engine.store.partial:
            warnings.extend(field_warnings(query.commands, engine.store, rows))
        if clocks is not None:
            result.timings = [(query.command_text(c), t) for c, t in zip(query.commands, clocks.own)]
        return result

    def check(self, query) -> None:
        """Every plan runs here: this is the reference."""

    def explain(self, query) -> list[str]:
        """Each command with its kind and the path it takes here: the leading search's scan,
        then columns while every command so far has handed on the store's Selection, then events."""
        lines = [f"Runs in memory, {'a column at a time where a command can' if self.columnar else 'event by event'}:"]
        selection = False
        scans = leading_search(query.commands) is not None
        for i, c in enumerate(query.commands, 1):
            if i == 1 and scans:
                path, selection = "scan: the terms tested a column at a time" if self.columnar else "scan", True
            elif self.columnar and selection and c.columns:
                path = "columns" if c.columns == "selection" else "columns, into a table"
                selection = c.columns == "selection"
            else:
                path, selection = "events", False
            kind = "generating" if i == 1 and scans else c.kind.value  # as Splunk names it
            lines.append(f"  {i}. {query.command_text(c)}  [{kind}; {path}]")
        return lines

    def attach(self, path, info: dict) -> None:
        raise SplError(f"{path} is a Parquet dataset made by spl-lite ingest: search it with --engine duckdb "
                       "or --engine spark (Engine(engine=...)), which read it without loading it")

    def validate_subsearch(self, pipeline, env) -> None:
        """At compile time, check a subsearch's commands (it runs with the search)."""
        if env.validating:
            for c in env.services.plan(pipeline, env.text):
                c.prepare(env)

    def run_subsearch(self, pipeline, env, maxout: int, maxtime: float) -> list[dict]:
        """A subsearch's results, cut at ``maxout`` rows or after ``maxtime`` seconds, with a warning."""
        commands = env.services.plan(pipeline, env.text)
        ctx = RunContext(env.services, env.now_value(), env.warnings, self.columnar)
        stream = iter(())
        for c in commands:
            stream = c.prepare(env)(stream, ctx)
        rows: list[dict] = []
        deadline = time.monotonic() + maxtime
        ev: dict
        for ev in stream:
            rows.append(ev)
            if len(rows) >= maxout:
                env.warnings.append(f"A subsearch was cut at {maxout:,} results (maxout).")
                break
            if len(rows) % 256 == 0 and time.monotonic() > deadline:
                env.warnings.append(f"A subsearch was stopped after {maxtime:.0f} s (maxtime); its results "
                                    "are partial.")
                break
        return Result.from_events(rows, tabular=ctx.tabular, warnings=env.warnings).rows


class _Clocks:
    """Each command's own time: every call into a stage (its setup, each result it gives)
    is timed, less the time spent inside the stages it called, so no time is counted twice and
    none is negative (taking inclusive times from each other was, where a stage reads its input
    outside its own results: a generating command, head stopping early)."""

    def __init__(self, n: int):
        self.own = [0.0] * n
        self._nested: list[float] = []

    def call(self, i: int, fn, *args):
        start = time.perf_counter()
        self._nested.append(0.0)
        try:
            return fn(*args)
        finally:
            elapsed = time.perf_counter() - start
            self.own[i] += max(0.0, elapsed - self._nested.pop())
            if self._nested:
                self._nested[-1] += elapsed

    def wrap(self, i: int, stream):
        it = iter(stream)
        while True:
            try:
                item = self.call(i, next, it)
            except StopIteration:
                return
            yield item
