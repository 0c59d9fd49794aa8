"""NDJSON lines read straight into the columns made at load: msgspec's typed decoder checks
each whole line but builds only the text of those fields, the rest skipped (a CloudTrail
record is 1.3 KB of which a one-shot search reads a few fields: orjson must build and free
every object of it, 4.5 + 2 microseconds a line measured, typed decoding 1.3).

Only the plain case is taken: every value along the paths is text, null, or an object (so the
columns' rules give the text itself, "null", or no value). A window that is anything else (a number,
array or other JSON where a field's text is expected, a line without eventName or with a
"_time" key, a key with a dot along a path, not valid UTF-8) is left to the full parse and the
columns' own rules (hot.py), so every rule stays in one place.
"""
from __future__ import annotations

import functools
from itertools import count, repeat
from typing import Optional

import msgspec
import numpy as np

from ..runtime.values import METADATA
from .tolerant_json import SURROGATE_ESCAPE

UNSET = msgspec.UNSET  # a key the line does not hold
_names = count()
# The time, the sourcetype (a record with eventName is CloudTrail's), the key that overrides the time.
_SPECIAL = {"eventTime": str, "eventName": Optional[str], "_time": msgspec.Raw}


class Projection:
    """Decodes a window's lines into the values of ``fields``, a list per field."""

    def __init__(self, tree: dict, fields: tuple):
        self.fields = fields
        self.spec = _struct(tree)
        self.decode_lines = msgspec.json.Decoder(self.spec[0]).decode_lines
        # A key such as "a.b" reads as the path a.b: windows holding one along a path the
        # columns read take the full parse.
        self.dotted = sorted({b'"' + k.encode("utf-8") for f in fields for k in f.split(".")[:-1]})

    @classmethod
    def of(cls, fields) -> "Projection | None":
        """For the fields made into columns at load (all 17 of hot.py's: 2.2 s a 250k-event
        range, against 2.8 s parsed whole; 2 fields: 1.07 s). One per set of fields: making
        the decoder takes 0.3 ms, which a folder of many small files would pay per file."""
        return None if fields is None else _projection(tuple(fields))

    @classmethod
    def _make(cls, fields: tuple) -> "Projection | None":
        if not fields or not all(map(plain_path, fields)):
            return None
        tree: dict = {}
        for f in fields:
            node = tree
            *parents, leaf = f.split(".")
            for k in parents:
                node = node.setdefault(k, {})
                if type(node) is not dict:
                    return None  # both a field and a path's parent
            if leaf in node:
                return None
            node[leaf] = Optional[str]
        for k, kind in _SPECIAL.items():
            if tree.setdefault(k, kind) not in (kind, Optional[str]):
                return None
        return cls(tree, tuple(fields))

    def read(self, window: bytes, starts, ends):
        """({field: its values}, eventTime texts, whether every line has eventName), or
        None when this window must take the full parse. ``starts``/``ends``: its lines."""
        text = np.frombuffer(window, dtype=np.uint8)
        # Decoded as one stream of values (no list of lines made): where every line starts
        # with "{" and ends with "}", no value can run over a newline (after a "}" ends a line
        # only ",", "}" or "]" may follow inside a value), so as many values as lines means
        # one a line.
        if len(starts) == 0 or not ((text[starts] == 123).all() and (text[ends - 1] == 125).all()):
            return None
        if not window.isascii():
            try:
                window.decode("utf-8")
            except UnicodeDecodeError:
                return None
        if self.dotted and _holds_dotted(text, window, self.dotted):
            return None
        if SURROGATE_ESCAPE.search(window) is not None:
            return None  # the line reader reads a lone surrogate as U+FFFD
        try:
            records = self.decode_lines(window)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None
        if len(records) != len(starts):
            return None
        top = self.spec[1]
        if list(map(getattr, records, repeat(top["_time"][0]))).count(UNSET) != len(records):
            return None  # a "_time" key
        stamps = list(map(getattr, records, repeat(top["eventTime"][0])))
        if UNSET in stamps:
            return None
        named = UNSET not in map(getattr, records, repeat(top["eventName"][0]))
        levels: dict[tuple, list] = {(): records}
        columns = {}
        for f in self.fields:
            *parents, leaf = f.split(".")
            nodes, spec = records, self.spec
            for i, k in enumerate(parents):
                attr, child = spec[1][k]
                known = levels.get(tuple(parents[:i + 1]))
                if known is None:
                    known = levels[tuple(parents[:i + 1])] = _objects(
                        list(map(getattr, levels[tuple(parents[:i])], repeat(attr))), child)
                nodes = known
                spec = child
            columns[f] = list(map(getattr, nodes, repeat(spec[1][leaf][0])))  # None: JSON null
        return columns, stamps, named


def plain_path(name: str) -> bool:
    """A field read along a path of JSON keys (not metadata, a wildcard or an array's {})."""
    return not name.startswith("_") and name not in METADATA and "*" not in name and "{" not in name


@functools.lru_cache(maxsize=32)
def _projection(fields: tuple) -> Projection | None:
    return Projection._make(fields)


def _holds_dotted(text, window: bytes, names: list) -> bool:
    """Whether the window holds '"name.' for any of the names (each given with its quote):
    the dots found once with numpy (``text`` is the window as an array), then the few whose
    two bytes where that name's last letter and its quote would be match compared (a third of
    the time of one substring search per name; an index before the window wraps to its end,
    and fails the comparison)."""
    dots = np.flatnonzero(text == 46)
    before = text[dots - 1]
    for quoted in names:
        n = len(quoted)
        at = dots[(before == quoted[-1]) & (text[dots - n] == 34)]
        if at.size and any(i >= n and window[i - n:i] == quoted for i in at.tolist()):
            return True
    return False


def _objects(values: list, spec) -> list:
    """The objects along a path; where a line has none there (missing or null), an empty one."""
    struct, _, empty = spec
    if set(map(type, values)) == {struct}:
        return values
    return [v if type(v) is struct else empty for v in values]


def _struct(tree: dict):
    """A msgspec Struct type for a tree of keys, and its spec: (type, {key: (attribute, the
    child's spec or None)}, an instance holding none of the keys)."""
    fields, keys = [], {}
    for i, (key, kind) in enumerate(sorted(tree.items())):
        attr = f"k{i}"
        if type(kind) is dict:
            child = _struct(kind)
            fields.append((attr, Optional[child[0]], UNSET))  # an object along the path, or null
            keys[key] = (attr, child)
        else:
            fields.append((attr, kind, UNSET))
            keys[key] = (attr, None)
    struct = msgspec.defstruct(f"Projected{next(_names)}", fields, rename={a: k for k, (a, _) in keys.items()})
    return struct, keys, struct()
