"""Where eval and stats functions are registered, with their arity, for compile-time checks."""
from __future__ import annotations

import functools

from dataclasses import dataclass
from typing import Any, Callable

from ..runtime.values.scalar import OUT_OF_RANGE

EVAL_FUNCTIONS: dict[str, "EvalFunction"] = {}
STATS_FUNCTIONS: dict[str, Any] = {}  # name -> its StatsFunction class


@dataclass(frozen=True)
class EvalFunction:
    """An eval function.

    ``impl`` receives evaluated argument values (null-propagating unless ``propagate_nulls`` is
    off); with ``lazy`` it receives the event and argument thunks (if, case, coalesce);
    a ``builder`` instead compiles the call itself (searchmatch, mvfilter, now).
    """
    name: str
    min_args: int
    max_args: int | None
    impl: Callable | None
    usage: str
    summary: str
    lazy: bool = False
    propagate_nulls: bool = True
    returns_bool: bool = False
    builder: Callable | None = None
    regex_arg: int | None = None  # the argument that is a regular expression, checked when literal

    def arity_text(self) -> str:
        lo, hi = self.min_args, self.max_args
        if hi == lo:
            return f"{lo} argument{'s' if lo != 1 else ''}"
        if hi is None:
            return f"at least {lo} argument{'s' if lo != 1 else ''}"
        return f"{lo} to {hi} arguments"


def eval_function(name: str, min_args: int, max_args: int | None = -1, *, usage: str = "",
                  lazy: bool = False, nulls: bool = True, boolean: bool = False, builder: bool = False,
                  aliases: tuple[str, ...] = (), regex_arg: int | None = None):
    """Register an eval function; the docstring's first line is its summary."""
    if max_args == -1:
        max_args = min_args

    def deco(fn):
        summary = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        for n in (name, *aliases):
            EVAL_FUNCTIONS[n] = EvalFunction(
                n, min_args, max_args, None if builder else fn, usage or f"{n}(...)", summary,
                lazy=lazy, propagate_nulls=nulls and not lazy, returns_bool=boolean,
                builder=fn if builder else None, regex_arg=regex_arg)
        return fn
    return deco


def stats_function(*names: str):
    """Register a stats function class under its names."""
    def deco(cls):
        for n in names:
            STATS_FUNCTIONS[n] = cls
        cls.names = names
        if "result" in cls.__dict__:
            cls.result = _in_range(cls.__dict__["result"])
        return cls
    return deco


def _in_range(result):
    """A statistic past a float's range (the variance of 1e300 and -1e300) is null, as an eval
    function's is, never an internal error."""
    @functools.wraps(result)
    def checked(self):
        try:
            return result(self)
        except OUT_OF_RANGE:
            return None
    return checked
