"""The leading search over columns: each search term is tested once per distinct value of its
field, and free text is found in the events' text before any event is parsed.

A term's test runs on a one-field event holding each distinct value (and on an event without
the field), so the rules are the search compiler's own; the answers per value are spread to
the events through the column's codes. What cannot be decided from one column (free text,
wildcard field names) is tested on the candidate events themselves.
"""
from __future__ import annotations

import numpy as np

from ..runtime.values import holds_lowered
from ..runtime.terms import TIME_MODIFIERS, matches_every_event
from .prefilter import find_any_case
from .columns import columnable
from ..syntax import ast

_WIDE = 4  # a column is built (one pass over the text) when over 1/_WIDE of the events remain


def conjuncts(terms) -> list:
    if terms is None:
        return []
    if isinstance(terms, ast.And):
        return list(terms.terms)
    return [terms]


def _fields(node, out: set) -> bool:
    """Collect the field names a term tree tests; False when a part needs the whole event."""
    if isinstance(node, (ast.And, ast.Or)):
        return all(_fields(t, out) for t in node.terms)
    if isinstance(node, ast.Not):
        return _fields(node.term, out)
    if isinstance(node, (ast.FieldMatch, ast.FieldIn)):
        if isinstance(node, ast.FieldMatch) and node.field.lower() in TIME_MODIFIERS:
            return True
        out.add(node.field)
        return True
    return False


def _mask(node, columns: dict, compile, lo: int, hi: int):
    if isinstance(node, ast.And):
        out = np.ones(hi - lo, dtype=bool)
        for t in node.terms:
            out &= _mask(t, columns, compile, lo, hi)
        return out
    if isinstance(node, ast.Or):
        out = np.zeros(hi - lo, dtype=bool)
        for t in node.terms:
            out |= _mask(t, columns, compile, lo, hi)
        return out
    if isinstance(node, ast.Not):
        return ~_mask(node.term, columns, compile, lo, hi)
    if isinstance(node, ast.FieldMatch) and node.field.lower() in TIME_MODIFIERS:
        return np.ones(hi - lo, dtype=bool)
    col = columns[node.field]
    test = compile(node)
    table = np.array([bool(test({}))] + [bool(test({node.field: v})) for v in col.values], dtype=bool)
    return table[col.codes[lo:hi] + 1]


def select(store, request, lo: int, hi: int, columnar: bool = True) -> np.ndarray:
    """Store positions (ascending: newest first) of the events in [lo, hi) matching the terms;
    without ``columnar`` every term is tested event by event."""
    cheap: list[tuple] = []
    costly: list[tuple] = []
    rest: list = []
    for t in conjuncts(request.terms):
        names: set = set()
        if not columnar or not _fields(t, names) or not all(columnable(n) for n in names):
            rest.append(t)
            continue
        cols = {n: store.cheap_column(n) for n in names}
        (cheap if all(c is not None for c in cols.values()) else costly).append((t, cols))
    mask = None
    for t, cols in cheap:
        m = _mask(t, cols, request.compile, lo, hi)
        mask = m if mask is None else mask & m
    positions = np.arange(lo, hi, dtype=np.int64) if mask is None else np.nonzero(mask)[0] + lo
    for t, cols in costly:
        if len(positions) * _WIDE > len(store):
            built = store.columns(list(cols))
            m = _mask(t, built, request.compile, lo, hi)
            positions = positions[m[positions - lo]]
        else:
            rest.append(t)
    for t in rest:
        positions = _keyword_candidates(store, t, positions)
    if rest:
        test = request.compile(rest[0] if len(rest) == 1 else ast.And(tuple(rest)))
        if not matches_every_event(test):  # "* | stats ...": no event need be parsed
            positions = np.array([p for p in positions.tolist() if test(store.event(p))], dtype=np.int64)
    return positions


def _keyword_candidates(store, term, positions: np.ndarray) -> np.ndarray:
    """The positions whose text holds a plain free-text term at all (in any case): the term's
    own test requires that much, and a byte search finds it far faster than parsing events."""
    if not isinstance(term, ast.Keyword) or term.case_sensitive or "*" in term.text:
        return positions
    # In a phrase a space stands for any run of white space: only its words are sure to be there.
    text = max(term.text.split(), key=len, default="") if term.quoted else term.text
    if len(text) < 3 or not text.isascii():
        return positions
    needle = text.lower().encode("ascii")
    if len(positions) * 64 < len(store):
        return np.array([p for p in positions.tolist() if holds_lowered(store.raw(p), needle)], dtype=np.int64)
    found = []
    for buffer, starts, ends, pos in store.buffers_by_start():
        offsets = np.fromiter(find_any_case(buffer, needle), dtype=np.int64)
        if not len(offsets):
            continue
        i = np.searchsorted(starts, offsets, side="right") - 1
        ok = i >= 0
        i = np.where(ok, i, 0)
        ok &= offsets < ends[i]
        found.append(pos[i[ok]])
    if not found:
        return positions[:0]
    # positions is sorted: look the few found events up in it rather than sorting both
    hits = np.unique(np.concatenate(found))
    at = np.searchsorted(positions, hits)
    ok = at < len(positions)
    ok[ok] = positions[at[ok]] == hits[ok]
    return hits[ok]
