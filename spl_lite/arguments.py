"""The library's arguments checked at the door: a wrong type or value is a TypeError or
ValueError naming the argument, never a failure deep inside (a str of paths read letter by
letter, "x.conf" opening "/", now="abc" failing at search time)."""
from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

ENGINES = ("memory", "duckdb", "spark")
_PATH = (str, os.PathLike)


def paths(value, name: str) -> list[Path]:
    """One path or an iterable of paths (str or os.PathLike) as a list of Paths."""
    if value is None:
        return []
    if isinstance(value, _PATH):
        return [Path(value)]
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} takes a path or a list of paths, not {type(value).__name__}")
    out = list(value)
    for p in out:
        if not isinstance(p, _PATH):
            raise TypeError(f"{name} takes paths (str or os.PathLike), not {type(p).__name__}")
    return [Path(p) for p in out]


def paths_free_list(value, name: str) -> list:
    """An iterable given as a list (a macro's argument names)."""
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} takes a list, not {type(value).__name__}")
    return list(value)


def optional_path(value, name: str) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, _PATH):
        raise TypeError(f"{name} takes a path (str or os.PathLike), not {type(value).__name__}")
    return Path(value)


def epoch(value, name: str) -> float | None:
    """An epoch time: a finite number of seconds, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} takes an epoch time (a number of seconds), not {type(value).__name__}")
    if not math.isfinite(value) or abs(value) > 1e11:
        raise ValueError(f"{name} takes an epoch time (finite, within ±1e11 seconds of 1970), not {value!r}")
    return value


def now(value) -> float | None:
    """The current time as an epoch: a finite number."""
    return epoch(value, "now")


def engine(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"engine takes one of {', '.join(map(repr, ENGINES))}, not {type(value).__name__}")
    if value not in ENGINES:
        raise ValueError(f"engine takes one of {', '.join(map(repr, ENGINES))}, not {value!r}")
    return value


def mapping(value, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} takes a dict, not {type(value).__name__}")
    return dict(value)


def events(value) -> Iterable:
    """add_events' events: any iterable of dicts, not one dict or text."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"add_events takes a list (or any iterable) of events, not a {type(value).__name__}")
    return value


def text(value, name: str) -> str:
    """A search, a macro's name or definition: text, not bytes or None."""
    if not isinstance(value, str):
        hint = " (decode it first)" if isinstance(value, (bytes, bytearray)) else ""
        raise TypeError(f"{name} takes a str, not {type(value).__name__}{hint}")
    return value
