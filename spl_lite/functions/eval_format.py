"""Formatting eval functions: printf and ipmask."""
from __future__ import annotations

import ipaddress
import re

from ..runtime.values import to_number, to_string
from .registry import eval_function

_SPEC = re.compile(r"%([-+ #0']*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcs%])")


@eval_function("printf", 1, None, usage='printf("<format>", <value>, ...)', nulls=False)
def _printf(fmt, *args):
    """Text built from a C-style format (%d %i %f %e %g %x %o %c %s, flags, width, precision,
    and %' for thousands separators), as Splunk's printf does."""
    values = list(args)
    out, pos = [], 0
    text = to_string(fmt) if fmt is not None else ""
    for m in _SPEC.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        flags, width, precision, conv = m.groups()
        if conv == "%":
            out.append("%")
            continue
        if width == "*":
            width = str(int(to_number(values.pop(0)) or 0)) if values else ""
        if precision == "*":
            precision = str(int(to_number(values.pop(0)) or 0)) if values else None
        value = values.pop(0) if values else None
        out.append(_one(flags or "", width or "", precision, conv, value))
    out.append(text[pos:])
    return "".join(out)


def _one(flags: str, width: str, precision, conv: str, value) -> str:
    grouping = "'" in flags
    flags = flags.replace("'", "")
    spec = "%" + flags + width + ("." + precision if precision is not None else "")
    if conv in "diouxXc":
        n = to_number(value)
        if n is None:
            n = 0
        n = int(n)
        if conv == "c":
            return (spec + "c") % chr(n) if 0 <= n < 0x110000 else ""
        if conv == "u":
            conv = "d"
        if grouping and conv in "di":
            return f"{{:{flags.replace('#', '')}{width},d}}".format(n) if "-" not in flags else \
                f"{n:,d}".ljust(int(width or 0))
        return (spec + conv) % n
    if conv in "eEfFgG":
        n = to_number(value)
        if n is None:
            n = 0.0
        if grouping and conv in "fF":
            return f"{float(n):,.{precision or 6}f}".rjust(int(width or 0))
        return (spec + conv) % float(n)
    text = "" if value is None else " ".join(to_string(v) or "" for v in value) if isinstance(value, list) else to_string(value)
    return (spec + "s") % text


@eval_function("ipmask", 2, usage='ipmask("<mask>", <ip>)')
def _ipmask(mask, ip):
    """The IPv4 address with the mask applied (ipmask("255.255.255.0", "10.20.30.120") is 10.20.30.0)."""
    try:
        m = int(ipaddress.IPv4Address(to_string(mask)))
        a = int(ipaddress.IPv4Address(to_string(ip)))
    except ValueError:
        return None
    return str(ipaddress.IPv4Address(m & a))

