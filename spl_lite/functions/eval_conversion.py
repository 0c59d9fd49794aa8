"""Conversion eval functions: tostring, tonumber."""
from __future__ import annotations

from ..runtime.values import to_number, to_string
from ..runtime.values.scalar import STRICT_NUMBER, whole
from .registry import eval_function


def duration(seconds: float) -> str:
    """[D+]HH:MM:SS, as tostring(x, "duration") prints it."""
    s = int(seconds)
    days, rem = divmod(abs(s), 86400)
    h, rem = divmod(rem, 3600)
    m, sec = divmod(rem, 60)
    text = f"{h:02d}:{m:02d}:{sec:02d}"
    if days:
        text = f"{days}+{text}"
    return ("-" if s < 0 else "") + text


@eval_function("tostring", 1, 2, usage='tostring(<value>, ["hex"|"commas"|"duration"])')
def _tostring(v, fmt=None):
    """The value as text, optionally as hex, with thousands separators, or as a duration."""
    if fmt is None:
        return to_string(v) if type(v) is not list else [to_string(x) for x in v]
    n = to_number(v)
    if n is None:
        return to_string(v)
    fmt = to_string(fmt)
    if fmt == "hex":
        return hex(int(n)).upper().replace("0X", "0x")
    if fmt == "commas":
        if isinstance(n, float) and not n.is_integer():
            return f"{n:,.2f}"
        return f"{int(n):,}"
    if fmt == "duration":
        return duration(n)
    if fmt == "binary":
        return bin(int(n))[2:]
    return to_string(v)


@eval_function("tonumber", 1, 2, usage="tonumber(<text>, [<base>])")
def _tonumber(v, base=10):
    """The number in the text (base 2 to 36, default 10); null when it is not one."""
    s = to_string(v)
    b = to_number(base)
    if b is None:
        return None
    b = int(b)
    if b == 10:
        return to_number(s) if STRICT_NUMBER.match(s) else None  # " 12" is no number to tonumber
    if s != s.strip() or not s.isascii():
        return None
    try:
        return whole(int(s, b))
    except ValueError:
        return None

