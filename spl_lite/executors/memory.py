"""The in-memory executor: the reference, checked against Splunk. Each command node of a
compiled plan becomes a generator over the engine's event store."""
from __future__ import annotations

import time

from .. import limits
from ..commands import RunContext
from ..errors import SplError
from ..result import Result, field_warnings


class MemoryExecutor:
    name = "memory"

    def __init__(self, engine):
        self.engine = engine

    def run(self, query, timing: bool = False) -> Result:
        """A query's result; with ``timing``, Result.timings holds each command's own time."""
        engine = self.engine
        now = engine.now if engine.now is not None else int(time.time())
        warnings = list(query.warnings)
        ctx = RunContext(engine, now, warnings)
        env = engine.env(now, query.expanded, warnings=warnings)
        clocks = [_Clock() for _ in query.commands] if timing else []
        try:
            runners = [c.prepare(env) for c in query.commands]
            stream = iter(())
            for i, runner in enumerate(runners):
                started = time.perf_counter()
                stream = runner(stream, ctx)  # some commands (sort, tail) do their work here
                if timing:
                    clocks[i].seconds += time.perf_counter() - started
                    stream = clocks[i].wrap(stream)
            rows = limits.collect(stream)
        except SplError as e:
            raise e.with_query(query.expanded) from None
        result = Result.from_events(rows, tabular=ctx.tabular, warnings=warnings)
        if not engine.store.partial:
            warnings.extend(field_warnings(query.commands, engine.store, rows))
        if timing:
            # Each clock includes the commands before it; take those away.
            inclusive = [c.seconds for c in clocks]
            result.timings = [(query.command_text(c), t - (inclusive[i - 1] if i else 0.0))
                              for i, (c, t) in enumerate(zip(query.commands, inclusive))]
        return result

    def check(self, query) -> None:
        """Every plan runs here: this is the reference."""

    def validate_subsearch(self, pipeline, env) -> None:
        """At compile time, check a subsearch's commands (it runs with the search)."""
        if env.validating:
            for c in self.engine.plan(pipeline, env.text):
                c.prepare(env)

    def run_subsearch(self, pipeline, env, maxout: int, maxtime: float) -> list[dict]:
        """A subsearch's results, cut at ``maxout`` rows or after ``maxtime`` seconds, with a warning."""
        commands = self.engine.plan(pipeline, env.text)
        ctx = RunContext(self.engine, env.now_value(), env.warnings)
        stream = iter(())
        for c in commands:
            stream = c.prepare(env)(stream, ctx)
        rows, deadline = [], time.monotonic() + maxtime
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


class _Clock:
    """Time spent getting results out of one stage of the pipeline (and the stages before it)."""

    def __init__(self):
        self.seconds = 0.0

    def wrap(self, stream):
        it = iter(stream)
        while True:
            start = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                self.seconds += time.perf_counter() - start
                return
            self.seconds += time.perf_counter() - start
            yield item
