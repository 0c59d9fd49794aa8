"""Limits, in one place, like Splunk's limits.conf: what stops a search or a load that would
otherwise run for ever, exhaust memory or recurse too deep.

Hitting a limit raises SplError naming it (a load reports the file and skips it). Change them
with ``Engine(limits={"regex_seconds": 5})`` or ``spl-lite ... --limit regex_seconds=5``.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import itertools
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from .errors import SplError


@dataclass(frozen=True)
class Limits:
    """Every limit with its default. The README's "Limits" section lists them for users."""

    # Longest time one regular expression may take on one value (rex, regex, match(), replace(),
    # mvfind(), rex mode=sed, makemv tokenizer, EXTRACT- in props). Splunk stops runaway PCRE
    # matches with [rex] match_limit; a time is the same guard, independent of the regex engine.
    regex_seconds: float = 1.0
    # How deeply parentheses, NOT, function calls and subsearches may nest in one search.
    # Chains such as a+b+c... or x=1 OR x=2 OR ... do not nest and have no limit.
    expression_depth: int = 100
    # How deeply subsearches may nest inside one another.
    subsearch_depth: int = 10
    # The length of a search after its macros are expanded, and how deeply macros may nest.
    macro_expansion_chars: int = 1_000_000
    macro_depth: int = 50
    # Results that makeresults may generate (count=).
    makeresults_count: int = 1_000_000
    # Buckets that bin, timechart and chart may make for one search ([discretize] maxbins).
    max_bins: int = 50_000
    # Rows one command may hold or create at once (sort, eventstats, mvexpand, join, ...).
    dataset_rows: int = 50_000_000
    # Subsearches ([subsearch] maxout, maxtime; [join] subsearch_maxout).
    subsearch_maxout: int = 10_000
    subsearch_maxtime: float = 60.0
    join_maxout: int = 50_000
    # A data file's size once decompressed: stops compression bombs ([inputproc] style guard).
    file_bytes: int = 4 * 1024 ** 3
    # Processes that parse data files at once when loading (Splunk's parallelIngestionPipelines);
    # 1 loads in the engine's own process.
    load_workers: int = 2
    # Most points one sparkline may have when its span is not given ([stats] sparkline_maxsize):
    # the span is the first of Splunk's sparkline_time_steps that keeps it within this many.
    sparkline_maxsize: int = 100
    # One cell of a lookup CSV file.
    lookup_cell_bytes: int = 10 * 1024 ** 2
    # Memory one search may take beyond what the engine held when it began, as a share of the
    # machine's memory ([search] search_process_memory_usage_percentage_threshold, 25): past
    # it the search stops with this error, long before the machine would swap.
    search_memory_percent: float = 25.0
    # Searches one map may run: its maxsearches= is at most this (map's own default is 10).
    map_maxsearches: int = 1000

    def replace(self, changes: dict) -> "Limits":
        """These limits with some changed; names and values are checked."""
        known = {f.name: f.type for f in dataclasses.fields(self)}
        typed = {}
        for name, value in changes.items():
            if name not in known:
                from .errors import did_you_mean
                raise SplError(f"Unknown limit '{name}'.", hint=did_you_mean(name, known)
                               or f"the limits are: {', '.join(known)}")
            typed[name] = _positive(name, value, float if known[name] == "float" else int)
        return dataclasses.replace(self, **typed)


_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3, "tb": 1000 ** 4,
          "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3, "tib": 1024 ** 4}


def parse_size(text, what: str, *, least: int = 0) -> int:
    """A size such as 2GB, 512MiB or 1.5gb in bytes (DuckDB's and Splunk's units: KB is 1000,
    KiB 1024), read here so that it never reaches SQL as text; below ``least`` is an error."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]i?b|b)?\s*", str(text), re.IGNORECASE)
    if not m:
        raise SplError(f"{what} takes a size such as 2GB or 512MB, not '{text}'.")
    size = int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower()])
    if size < least or size >= 1 << 62:
        raise SplError(f"{what} of '{text}' is out of range: it takes {least // 1000 ** 2:,}MB or more, "
                       "and less than 4 EB.")
    return size


def _positive(name: str, value, kind):
    try:
        number = kind(float(value)) if kind is int else kind(value)
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or not number > 0 or number == float("inf"):
        raise SplError(f"The limit '{name}' takes a positive number, not '{value}'.")
    if number >= 2 ** 62:  # past what a count or a size can be here (a C integer)
        raise SplError(f"The limit '{name}' takes a number below {2 ** 62:,}, not '{value}'.")
    return number


DEFAULT = Limits()
_current: contextvars.ContextVar[Limits] = contextvars.ContextVar("spl_lite_limits", default=DEFAULT)


def set_current(value: Limits) -> None:
    """The limits for this process's work from now on (a loading worker takes its engine's)."""
    _current.set(value)


def current() -> Limits:
    """The limits of the search or load running now (an Engine sets them while it works)."""
    return _current.get()


_Method = TypeVar("_Method", bound=Callable[..., Any])


def within(limits_of: Callable[[Any], Limits]) -> Callable[[_Method], _Method]:
    """A method decorator: the method runs with ``limits_of(self)`` in force."""
    def decorate(method: _Method) -> _Method:
        @functools.wraps(method)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            with applied(limits_of(self)):
                return method(self, *args, **kwargs)
        return run  # type: ignore[return-value]  # the same signature, wrapped
    return decorate


@contextlib.contextmanager
def applied(limits: Limits):
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def exceeded(name: str, what: str, *, command: str | None = None, span=None) -> SplError:
    """The error for a limit that was hit: what happened, the limit's name and how to raise it."""
    value = getattr(current(), name)
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return SplError(f"{what} (limit {name}={shown}).", command=command, span=span,
                    hint=f"raise it with --limit {name}=N, or Engine(limits={{'{name}': N}})")


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
try:
    _MACHINE = os.sysconf("SC_PHYS_PAGES") * _PAGE
except (AttributeError, ValueError, OSError):
    _MACHINE = 0
_start_rss: contextvars.ContextVar[int] = contextvars.ContextVar("spl_lite_search_rss", default=-1)


def _rss() -> int:
    """This process's resident memory now (Linux); -1 where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return -1


@contextlib.contextmanager
def search_memory():
    """A search runs inside this: check_memory() measures what it took from here on."""
    token = _start_rss.set(_rss())
    try:
        yield
    finally:
        _start_rss.reset(token)


def check_memory(command: str | None = None, span=None) -> None:
    """The search_memory_percent limit: an error once the search has taken that share of the
    machine's memory (checked as results pile up: every 65,536 held, and by commands that grow)."""
    start = _start_rss.get()
    if start < 0 or not _MACHINE:
        return
    used = _rss() - start
    allowed = _MACHINE * current().search_memory_percent / 100
    if used > allowed:
        raise exceeded("search_memory_percent", f"The search took {used / 1024 ** 3:,.1f} GB of memory, more "
                       f"than {current().search_memory_percent:g}% of this machine's {_MACHINE / 1024 ** 3:,.0f} GB",
                       command=command, span=span)


def check_held(n: int, command: str | None = None, span=None) -> None:
    """The dataset_rows limit for a command that holds n results as columns."""
    check_memory(command, span)
    limit = current().dataset_rows
    if n > limit:
        raise exceeded("dataset_rows", f"More than {limit:,} results to hold at once", command=command,
                       span=span)


def collect(rows, command: str | None = None, span=None) -> list:
    """All the rows a command must hold at once, stopped at dataset_rows (a fan-out such as
    mvexpand or join could otherwise fill memory)."""
    limit = current().dataset_rows
    out: list = []
    it = iter(rows)
    while len(out) <= limit:
        size = len(out)
        out.extend(itertools.islice(it, min(65_536, limit + 1 - size)))
        if len(out) == size:
            break
        check_memory(command, span)
    if len(out) > limit:
        raise exceeded("dataset_rows", f"More than {limit:,} results to hold at once", command=command,
                       span=span)
    return out
