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


# A \uD800-\uDFFF escape: half of a UTF-16 pair, which JSON allows alone and no text can hold.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def loads(text):
    """One JSON text as the loader reads it: orjson's parse, with a lone surrogate escape
    (\\ud800 with no pair) read as U+FFFD, the replacement character, as Splunk shows text it
    cannot decode. Left in, it could not be written out as UTF-8 (an internal error)."""
    doc = orjson.loads(text)
    if SURROGATE_ESCAPE.search(text if type(text) is bytes else bytes(text)) is not None:
        doc = without_surrogates(doc)
    return doc


def without_surrogates(v):
    """``v`` with every lone surrogate in its text (keys too) replaced by U+FFFD."""
    t = type(v)
    if t is str:
        return v if v.isascii() else v.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if t is dict:
        return {without_surrogates(k): without_surrogates(x) for k, x in v.items()}
    if t is list:
        return [without_surrogates(x) for x in v]
    return v


def loads_tolerant(text: bytes):
    """JSON that orjson refuses but the JSON standard allows: a number beyond a double (1e400)
    keeps its text, a whole number beyond 64 bits becomes a double as orjson makes it."""
    try:
        return loads(text)
    except orjson.JSONDecodeError as e:
        first = str(e).split(":")[0]
    if _nesting(text) > MAX_NESTING:
        # Python's own parser would go deeper on some versions and not on others.
        raise ValueError(f"nested deeper than {MAX_NESTING:,} levels") from None
    try:
        return without_surrogates(json.loads(text, parse_float=_big_float, parse_int=_big_int))
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


def array_elements(text: bytes, start: int) -> Iterator[bytes | None]:
    """The text of each element of the array whose first element starts at ``start``. Strings
    are skipped by a regex, so only brackets and commas are counted here. An array that the
    text ends inside (a file cut short) ends with None after the text of its last, cut, element."""
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
    piece = text[begin:].strip()
    if piece:
        yield piece
    yield None
