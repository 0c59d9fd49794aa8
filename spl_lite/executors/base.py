"""The Executor protocol: what the Engine asks of whatever runs its compiled searches. The
memory executor is the reference; the SQL executor (DuckDB, Spark) translates the same plan."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ..result import Result
from ..runtime.context import SearchEnv


class Executor(Protocol):
    name: str
    # Whether a search run once (spl-lite query) may load only the events holding its literal
    # terms and the fields it reads: the memory executor answers from exactly those.
    prunes_load: bool

    @property
    def dataset(self) -> Any:
        """The ingested Parquet dataset searched where it lies, or None."""

    def attach(self, path: Path, info: dict) -> None:
        """Search a dataset made by spl-lite ingest; SplError when this executor cannot."""

    def check(self, query: Any) -> None:
        """At compile time: refuse, with the spot marked, what this executor cannot run."""

    def run(self, query: Any, timing: bool = False) -> Result:
        """The query's result; with ``timing``, Result.timings holds where the time went."""

    def explain(self, query: Any) -> list[str]:
        """How this executor runs the query, a line per step, for Query.explain()."""

    def validate_subsearch(self, pipeline: Any, env: SearchEnv) -> None:
        """At compile time, check a subsearch's commands, or refuse it."""

    def run_subsearch(self, pipeline: Any, env: SearchEnv, maxout: int, maxtime: float) -> list[dict]:
        """A subsearch's results, cut at ``maxout`` rows or after ``maxtime`` seconds."""
