"""Columns of the fields that search-time knowledge defines (the add-on's aliases, calculated
fields and lookups), worked out once per distinct combination of the fields they read.

A calculated field is a function of the fields it reads, so evaluating it on one event of each
combination and spreading the result through the codes gives every event the value it would
get on its own. Fields that depend on the whole event (event types, tags, extractions from
_raw) are worked out event by event.
"""
from __future__ import annotations

import numpy as np

from .columns import NULL, Column, Encoder, columnable, group_keys
from ..runtime.values import KNOWLEDGE, get_field


def _groups(store, name: str) -> list:
    """(knowledge defining the field or None, origin codes) for the store's origins."""
    groups: dict = {}
    for code, origin in enumerate(store.origins()):
        k = origin.get(KNOWLEDGE)
        if k is not None and name not in k.fields:
            k = None
        groups.setdefault(id(k), (k, []))[1].append(code)
    return list(groups.values())


def raw_inputs_of(store, name: str) -> set[str]:
    out: set[str] = set()
    for k, _ in _groups(store, name):
        out |= {name} if k is None else (k.inputs(name) or set())
    return out


def knowledge_column(store, name: str) -> Column:
    groups = _groups(store, name)
    if all(k is None for k, _ in groups):
        return store.raw_column(name)
    n = len(store)
    enc = Encoder()
    codes = np.full(n, NULL, dtype=np.int32)
    origin_codes = store.origin_codes()
    for k, members in groups:
        rows = np.arange(n) if len(groups) == 1 else np.nonzero(np.isin(origin_codes, members))[0]
        if len(rows) == 0:
            continue
        inputs = None if k is None else k.inputs(name)
        if k is None:
            col = store.raw_column(name)
            remap = np.array([NULL] + [enc.code(v) for v in col.values], dtype=np.int32)
            codes[rows] = remap[col.codes[rows] + 1]
        elif inputs is None or not all(columnable(i) for i in inputs):
            codes[rows] = [enc.code(get_field(store.event(p), name)) for p in rows.tolist()]
        else:
            deps = store.raw_columns(sorted(inputs))
            group, first = group_keys([deps[i].codes[rows] for i in sorted(inputs)], len(rows))
            made = np.array([enc.code(get_field(store.event(p), name)) for p in rows[first].tolist()],
                            dtype=np.int32)
            codes[rows] = made[group]
    return Column(codes, enc.values)


def cheap_column(store, name: str) -> Column | None:
    """The column when it is built or needs no pass over the events' text; else None."""
    col = store.cached_column(name)
    if col is not None:
        return col
    for k, _ in _groups(store, name):
        inputs = {name} if k is None else k.inputs(name)
        if inputs is None or not all(store.has_raw_column(i) for i in inputs):
            return None
    return store.column(name)
