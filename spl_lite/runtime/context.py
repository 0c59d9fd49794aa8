"""What a search sees while it is compiled and run: never the Engine, only the few things a
command may ask of whatever runs it (the `Services`), the search's notion of now, its text and
its warnings. An executor provides the services it can; one it cannot is refused with a caret."""
from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol


class Services(Protocol):
    """The capabilities a search may use, as a search head offers them to its commands."""

    @property
    def eval_functions(self) -> Mapping[str, Any]:
        """Eval function name -> its EvalFunction (the built-in ones and any the user added)."""

    @property
    def macros(self) -> Mapping[str, Any]:
        """Macro key (name, or name(n) with n arguments) -> its Macro."""

    @property
    def lookups_dir(self) -> Path:
        """Where lookup files are looked for by name."""

    @property
    def datamodels(self) -> Any:
        """The data models (datamodels.DataModels) tstats and datamodel search."""

    def scan(self, request: Any, columnar: bool = True) -> Iterable[dict]:
        """The stored events a leading search asks for (store.memory.ScanRequest), newest first;
        ``columnar``: as a Selection whose columns commands read, else event by event."""

    def geoip(self, span: Any = None) -> Any:
        """The GeoIP database reader (opened once); SplError when there is none."""

    def plan(self, pipeline: Any, text: str) -> list:
        """A parsed pipeline's command nodes (a subsearch's, a fragment's)."""

    def check_search(self, text: str) -> None:
        """Compile a whole search (map's template), raising SplError where it fails."""

    def search_rows(self, text: str) -> list[dict]:
        """Compile and run a whole search (one of map's)."""

    def validate_subsearch(self, pipeline: Any, env: SearchEnv) -> None:
        """At compile time, check a subsearch's commands, or refuse it on this executor."""

    def run_subsearch(self, pipeline: Any, env: SearchEnv, maxout: int, maxtime: float) -> list[dict]:
        """A subsearch's results, cut at ``maxout`` rows or after ``maxtime`` seconds."""


class SearchEnv:
    """What compiling sees: the services, the search's notion of now, the query text, and
    whether this is the validation at compile time (subsearches are checked, not run)."""

    def __init__(self, services: Services, now: float | None, text: str = "", validating: bool = False,
                 warnings: list[str] | None = None):
        self.services = services
        self._now = now
        self.text = text
        self.validating = validating
        self.warnings: list[str] = warnings if warnings is not None else []

    @property
    def eval_functions(self) -> Mapping[str, Any]:
        return self.services.eval_functions

    def now_value(self) -> float:
        return self._now if self._now is not None else int(time.time())


class RunContext:
    """What one run of a query shares between its commands."""

    def __init__(self, services: Services, now: float, warnings: list[str], columnar: bool = True):
        self.services = services
        self.now = now
        self.warnings = warnings
        self.tabular = False  # set once a command has turned events into a table
        # The executor's choice: hand commands the store's Selection (they work a column at a
        # time) or events one by one (every command's event-by-event code: the reference the
        # column paths are tested against).
        self.columnar = columnar

    def scan(self, request: Any) -> Iterable[dict]:
        """The stored events a leading search asks for, newest first, as this run takes them."""
        return self.services.scan(request, columnar=self.columnar)
