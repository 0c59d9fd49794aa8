"""Date and time eval functions (UTC)."""
from __future__ import annotations

from ..runtime import timeutil
from ..runtime.values import to_number, to_string
from .registry import eval_function


@eval_function("now", 0, usage="now()", builder=True)
def _now(env, nodes, args, compiler):
    """The time the search started, in epoch seconds (the same for every event)."""
    return lambda ev: env.now_value()


@eval_function("time", 0, usage="time()")
def _time():
    """The wall-clock time, different for each event."""
    return timeutil.wall_clock()


@eval_function("strftime", 2, usage='strftime(<epoch>, "<format>")')
def _strftime(t, fmt):
    """Epoch seconds formatted as text (%Y-%m-%d %H:%M:%S, %3N, %s, ...)."""
    n = to_number(t)
    return None if n is None else timeutil.strftime(n, to_string(fmt))


@eval_function("strptime", 2, usage='strptime(<text>, "<format>")')
def _strptime(s, fmt):
    """Epoch seconds for a time written in the format; null when it does not parse."""
    return timeutil.strptime(to_string(s), to_string(fmt))


@eval_function("relative_time", 2, usage='relative_time(<epoch>, "<-1d@d>")')
def _relative_time(t, spec):
    """The epoch moved and snapped by a relative time specifier."""
    n = to_number(t)
    return None if n is None else timeutil.relative_time(n, to_string(spec))
