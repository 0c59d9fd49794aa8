"""Dictionary-encoded field columns: one code per event, each distinct value kept once.

A column holds a field's values as the field getters give them (text, or a list for a
multivalue field), so a command reading a column sees exactly what it would read from the
event. Codes are int32 in store order, NULL for an event without the field. Work that depends
only on a value (a search term's test, a rex, a sort key) is done once per distinct value and
spread to the events through the codes.
"""
from __future__ import annotations

from array import array

import numpy as np

NULL = -1
# Fields every event has from its origin (the file it came from), not from its text.
STORE_METADATA = ("index", "sourcetype", "source", "host")
NOT_COLUMNS = frozenset(("_raw", "_time", "date_second", "date_minute", "date_hour", "date_mday", "date_month",
                         "date_wday", "date_year", "date_zone"))
_NULLS = array("i", [NULL]) * 4096


def columnable(name: str) -> bool:
    """Whether a field can be a column: not the event's text, its time or a wildcard."""
    return "*" not in name and name not in NOT_COLUMNS


class Column:
    """``whole``: a command's column that is the field for every event, NULL included (eval's
    null hides the events' own value; spath makes sure the events it gives none have none of
    their own); a NULL otherwise leaves the events' own value showing, which must be read."""
    __slots__ = ("codes", "values", "multivalue", "whole")

    def __init__(self, codes: np.ndarray, values: list, whole: bool = False):
        self.codes = codes
        self.values = values
        self.multivalue = any(type(v) is list for v in values)
        self.whole = whole

    def __len__(self) -> int:
        return len(self.codes)

    def take(self, positions) -> "Column":
        return Column(self.codes[positions], self.values, self.whole)

    def get(self, p: int):
        c = self.codes[p]
        return None if c < 0 else self.values[c]

    def group_codes(self) -> np.ndarray:
        """Codes as groups see them: values a search counts as one (5 and 5.0, which the column
        keeps apart for display) share the first one's code, as they share a group when stats
        runs event by event. Text equals no number, so only the other values are compared."""
        merged: dict = {}
        remap = None
        for i, v in enumerate(self.values):
            if type(v) is str:
                continue
            first = merged.setdefault(tuple(v) if type(v) is list else v, i)
            if first != i:
                if remap is None:
                    remap = np.arange(len(self.values), dtype=self.codes.dtype)
                remap[i] = first
        if remap is None:
            return self.codes
        return np.where(self.codes >= 0, remap[np.maximum(self.codes, 0)], self.codes)


def value_key(v):
    """What tells values apart: text as itself, anything else by its type and its text (1, 1.0,
    True and round()'s 1.50 are different values though Python finds them equal)."""
    t = type(v)
    if t is str:
        return v
    if t is list:
        return tuple(value_key(x) for x in v)
    return (t, str(v))


class Encoder:
    """Builds a column one value at a time (while loading or in one pass over events)."""
    __slots__ = ("lookup", "values", "codes")

    def __init__(self):
        self.lookup: dict = {}
        self.values: list = []
        self.codes = array("i")

    def code(self, v) -> int:
        if v is None:
            return NULL
        key = v if type(v) is str else value_key(v)
        c = self.lookup.get(key)
        if c is None:
            c = self.lookup[key] = len(self.values)
            self.values.append(v)
        return c

    def add(self, v) -> None:
        self.codes.append(self.code(v))

    def pad(self, n: int) -> None:
        """Nulls up to n codes (for events added before this column existed)."""
        while len(self.codes) < n:
            self.codes.extend(_NULLS[:n - len(self.codes)])

    def column(self, n: int) -> Column:
        self.pad(n)
        return Column(np.frombuffer(self.codes, dtype=np.int32).copy(), self.values)


_DENSE = 1 << 22  # combined keys below this are grouped by counting, not by sorting


def group_keys(code_arrays: list[np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense group numbers for the rows' tuples of codes, and the first row of each group.

    Groups are numbered in order of the tuples (codes ascending per column), which callers
    re-order as Splunk needs.
    """
    if not code_arrays:
        return np.zeros(n, np.int64), np.zeros(min(n, 1), np.int64)
    key = code_arrays[0].astype(np.int64) + 1
    size = int(np.max(key, initial=0)) + 1
    for codes in code_arrays[1:]:
        width = int(np.max(codes, initial=NULL)) + 2
        if size * width > _DENSE:
            _, key = np.unique(key, return_inverse=True)
            key = key.reshape(-1).astype(np.int64)
            size = int(np.max(key, initial=0)) + 1
        key = key * width + (codes.astype(np.int64) + 1)
        size *= width
    if size > _DENSE:
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return inverse.reshape(-1), first
    seen = np.full(size, n, dtype=np.int64)
    np.minimum.at(seen, key, np.arange(n, dtype=np.int64))
    present = np.nonzero(seen < n)[0]
    dense = np.zeros(size, dtype=np.int64)
    dense[present] = np.arange(len(present))
    return dense[key], seen[present]


def overlay(base: Column | None, top: Column) -> Column:
    """``top`` where it has a value, else ``base`` (a command that writes a field leaves the
    events it gives no value to as they were, unless its column is whole)."""
    if base is None or top.whole or (top.codes >= 0).all():
        return top
    enc = Encoder()
    top_map = np.array([enc.code(v) for v in top.values] + [-1], dtype=np.int32)
    base_map = np.array([enc.code(v) for v in base.values] + [-1], dtype=np.int32)
    codes = np.where(top.codes >= 0, top_map[top.codes], base_map[base.codes])
    return Column(codes.astype(np.int32), enc.values)
