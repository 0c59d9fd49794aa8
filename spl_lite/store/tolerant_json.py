"""JSON that orjson refuses but the standard allows, read record by record.

A Records file that does not parse as a whole (one record nested too deep, a number beyond a
double) is split into its records here, so that only the bad record is lost, and each record is
read by orjson or, failing that, by Python's parser with the numbers orjson cannot hold kept.
"""
from __future__ import annotations

import json
import re
from typing import Iterator

import orjson

# A JSON array of records, or CloudTrail's {"Records": [...]}, as far as its first record.
ARRAY_START = re.compile(rb'\s*(?:(\{\s*"Records"\s*:\s*)\[|\[)')
_STRUCTURE = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{},]')
MAX_NESTING = 1000  # past this a record is reported: Python's parser reaches further on some versions


def loads_tolerant(text: bytes):
    """JSON that orjson refuses but the JSON standard allows: a number beyond a double (1e400)
    keeps its text, a whole number beyond 64 bits becomes a double as orjson makes it."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as e:
        first = str(e).split(":")[0]
    if _nesting(text) > MAX_NESTING:
        # Python's own parser would go deeper on some versions and not on others.
        raise ValueError(f"nested deeper than {MAX_NESTING:,} levels") from None
    try:
        return json.loads(text, parse_float=_big_float, parse_int=_big_int)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_NESTING:,} levels") from None
    except ValueError:
        raise ValueError(f"malformed JSON ({first})") from None


def _nesting(text: bytes) -> int:
    depth = deepest = 0
    for m in _STRUCTURE.finditer(text):
        c = m.group()
        if c in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif c in (b"]", b"}"):
            depth -= 1
    return deepest


def _big_float(text: str):
    f = float(text)
    return f if f not in (float("inf"), float("-inf")) else text


def _big_int(text: str):
    n = int(text)
    return n if -2 ** 63 <= n < 2 ** 64 else _big_float(text)


def dumps_deep(rec: dict) -> bytes:
    try:
        return json.dumps(rec, separators=(",", ":"), ensure_ascii=False).encode()
    except (RecursionError, ValueError):
        return b"{}"


def array_elements(text: bytes, start: int) -> Iterator[bytes]:
    """The text of each element of the array whose first element starts at ``start``. Strings
    are skipped by a regex, so only brackets and commas are counted here."""
    depth, begin = 0, start
    for m in _STRUCTURE.finditer(text, start):
        c = m.group()
        if c in (b"[", b"{"):
            depth += 1
        elif c in (b"]", b"}") and depth:
            depth -= 1
        elif depth == 0 and c in (b",", b"]", b"}"):  # a comma or the close of the array
            piece = text[begin:m.start()].strip()
            begin = m.end()
            if piece:
                yield piece
            if c != b",":
                return
