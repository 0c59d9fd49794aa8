"""Catalog: what an engine knows that a user may type — fields and their values, macros, lookup
files, commands and functions with their help. The REPL completes and explains from it."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class CommandInfo:
    name: str
    summary: str
    syntax: str
    example: str
    options: tuple[str, ...] = ()
    option_values: dict = field(default_factory=dict)  # option -> the values it takes, when few
    first_only: bool = False  # a generating command: it starts a search ("| tstats ...")


@dataclass(frozen=True)
class FunctionInfo:
    name: str
    usage: str
    summary: str


@dataclass
class Catalog:
    fields: dict[str, int]  # field -> how many events have it, most common first
    values: Callable[[str, int], list[tuple[str, int]]]  # (field, n) -> its most common values
    macros: dict[str, str]  # "name" or "name(2)" -> definition
    lookups: list[str]
    commands: dict[str, CommandInfo]
    eval_functions: dict[str, FunctionInfo]
    stats_functions: dict[str, FunctionInfo]
    events: int = 0
    estimated: bool = False  # field counts from a sample of the events
    bundled_macros: frozenset = frozenset()  # of the macros, those the CIM add-on's macros.conf defines


def command_infos() -> dict[str, CommandInfo]:
    from .commands import ALL_COMMANDS
    from .commands.base import to_bool
    out = {}
    for cls in ALL_COMMANDS:
        values = {name: ("true", "false") for name, conv in cls.options.items() if conv is to_bool}
        values.update(getattr(cls, "option_values", {}))
        first_only = cls.kind.value == "generating" and cls.name != "search" and not getattr(cls, "appends", False)
        info = CommandInfo(cls.name, cls.summary(), cls.syntax, cls.example, tuple(sorted(cls.options)), values,
                           first_only)
        for name in (cls.name, *cls.aliases):
            out[name] = info
    return out


def eval_function_infos(registry) -> dict[str, FunctionInfo]:
    return {name: FunctionInfo(name, spec.usage, spec.summary) for name, spec in sorted(registry.items())}


def stats_function_infos() -> dict[str, FunctionInfo]:
    from .functions import STATS_FUNCTIONS
    out = {}
    for name, cls in sorted(STATS_FUNCTIONS.items()):
        usage = f"{name}" if not cls.takes_field else f"{name}(<field>)"
        if name in ("count", "c"):
            usage = f"{name} | {name}(<field>)"
        elif name == "sparkline":
            usage = "sparkline | sparkline(<function>(<field>)[, <span>])"
        out[name] = FunctionInfo(name, usage, (cls.__doc__ or "").strip().splitlines()[0])
    out["perc<N>"] = FunctionInfo("perc<N>", "perc95(<field>)", "The N-th percentile (also p<N>).")
    return out


def top_values(column, n: int) -> list[tuple[str, int]]:
    """The n most common values of a store column; ties in the order events show them."""
    counts: Counter = Counter()
    if column is None:
        return []
    import numpy as np
    codes = column.codes[column.codes >= 0]
    per_code = np.bincount(codes, minlength=len(column.values))
    seen, first = np.unique(codes, return_index=True)
    for code in seen[np.argsort(first, kind="stable")].tolist():
        v, c = column.values[code], int(per_code[code])
        for x in (v if type(v) is list else (v,)):
            counts[str(x)] += c
    return counts.most_common(n)


def lookup_files(directory: Path) -> list[str]:
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if p.suffix.lower() in (".csv", ".csv.gz") or
                  p.name.lower().endswith(".csv.gz"))
