"""What the leading search hands on: the selected events' store positions, newest first.

Iterating a Selection gives events as dicts holding the fields the pipeline reads, as before;
commands that can work a column at a time (stats, dedup, sort, eventstats...) read its columns
instead, and only build dicts for the rows they output.
"""
from __future__ import annotations

import numpy as np
import orjson

from .columns import columnable
from .tolerant_json import loads, loads_tolerant
from ..runtime.values import field_getter


_FEW = 64  # as a keyword's candidates: below 1/64 of the events, reading them beats a pass over all


def parse_raw(raw) -> dict:
    """An event's body from its text, parsed as the loader parsed it."""
    try:
        body = loads(raw)
    except orjson.JSONDecodeError:
        body = loads_tolerant(bytes(raw))
    body.pop("_time", None)  # the loader took it as the event's time
    return body


def value_list(col, positions) -> list:
    """The column's values at the positions, None where the field is missing; multivalue
    lists are fresh per event, as a getter makes them."""
    table = np.empty(len(col.values) + 1, dtype=object)
    for i, v in enumerate(col.values):  # element by element: a list value must stay one item
        table[i] = v
    out = table[col.codes[positions]].tolist()
    if col.multivalue:
        out = [list(v) if type(v) is list else v for v in out]
    return out


def time_list(times: np.ndarray) -> list:
    return [None if t != t else (int(t) if t.is_integer() else t) for t in times.tolist()]


class Selection:
    def __init__(self, store, positions: np.ndarray, fields: frozenset | None, extra: dict | None = None,
                 everything: bool = False):
        self.store = store
        self._positions = positions
        self._sort_keys: list | None = None  # a sort not yet done: rank arrays, first key first
        self.everything = everything  # every event in store order: columns need no copy
        self.fields = fields
        self.extra = extra or {}  # fields commands wrote, a column per selected event

    def __len__(self) -> int:
        return len(self._positions)

    @property
    def positions(self) -> np.ndarray:
        if self._sort_keys is not None:
            order = np.lexsort(self._sort_keys[::-1])
            self._sort_keys = None
            self._positions = self._positions[order]
            self.extra = {n: c.take(order) for n, c in self.extra.items()}
            self.everything = False
        return self._positions

    def sorted_by(self, keys: list) -> "Selection":
        """This selection in the order of the rank arrays (missing values ranked last by the
        caller), stable; the order is worked out when rows are read, or only for the first N
        when a head takes them."""
        out = Selection(self.store, self.positions, self.fields, dict(self.extra))
        out._sort_keys = keys
        return out

    def first(self, n: int) -> "Selection":
        if self._sort_keys is None or n >= len(self):
            return self.take(slice(0, n))
        keys = self._sort_keys
        threshold = np.partition(keys[0], n - 1)[n - 1] if n > 0 else keys[0].min(initial=0) - 1
        candidates = np.nonzero(keys[0] <= threshold)[0]
        order = candidates[np.lexsort([k[candidates] for k in keys[::-1]])][:n]
        return Selection(self.store, self._positions[order], self.fields,
                         {name: c.take(order) for name, c in self.extra.items()})

    def __iter__(self):
        return self._rows()

    def column(self, name: str):
        """The field's column over the selected events (None where it is no column)."""
        top = self.extra.get(name)
        if top is not None and (top.whole or (top.codes >= 0).all()):
            return top
        if top is None and self._from_events(name):
            return self._read(name, np.arange(len(self)))
        if top is not None and (top.codes < 0).sum() * 10 < len(self) and self.store.cached_column(name) is None:
            base = self._read(name, np.nonzero(top.codes < 0)[0])  # a few events keep their own value
        else:
            col = self.store.column(name)
            base = None if col is None else col if self.everything else col.take(self.positions)
        if top is None:
            return base
        from .columns import overlay
        return overlay(base, top)

    def _read(self, name: str, rows: np.ndarray, events: list | None = None):
        """A column of the field read from the events at these rows only (null elsewhere);
        ``events``: those events, when already parsed."""
        from .columns import Column, Encoder
        get = field_getter(name)
        enc = Encoder()
        codes = np.full(len(self), -1, dtype=np.int32)
        if events is None:
            positions = self.positions
            events = [self.store.event(int(positions[r])) for r in rows.tolist()]
        codes[rows] = [enc.code(get(ev)) for ev in events]
        return Column(codes, enc.values)

    def columns(self, names) -> dict:
        few = [n for n in names if n not in self.extra and self._from_events(n)]
        self.store.columns([n for n in names if n not in self.extra and n not in few])  # built in one pass
        out = {}
        if few:  # each kept event parsed once for all of them
            events = list(map(self.store.event, self.positions.tolist()))
            out = {n: self._read(n, np.arange(len(self)), events) for n in few}
        return {n: out[n] if n in out else self.column(n) for n in names}

    def _from_events(self, name: str) -> bool:
        """Whether the field is better read from the few selected events than made into a column
        of every event: its column is not made yet, and the search kept under 1/64 of the events
        (a search that keeps nothing reads nothing)."""
        return self.few() and columnable(name) and self.store.cheap_column(name) is None

    def few(self) -> bool:
        """Whether the search kept under 1/64 of the events: reading them beats a pass over all."""
        return len(self) * _FEW < len(self.store)

    def times(self) -> np.ndarray:
        return self.store.times() if self.everything else self.store.times()[self.positions]

    def take(self, index) -> "Selection":
        return Selection(self.store, self.positions[index], self.fields,
                         {n: c.take(index) for n, c in self.extra.items()})

    def _rows(self):
        """Events as dicts, built a batch at a time: a head after a sort reads only a few."""
        batch, done = 256, 0
        while done < len(self.positions):
            yield from self._batch(done, done + batch)
            done += batch
            batch = min(batch * 4, 65536)

    def _batch(self, lo: int, hi: int):
        store, pos = self.store, self.positions[lo:hi]
        extra = [(n, value_list(c, slice(lo, hi)), c.whole) for n, c in self.extra.items()]
        if self.fields is None:
            for i, p in enumerate(pos.tolist()):
                ev = store.event(p)
                for name, values, whole in extra:
                    if values[i] is not None or whole:
                        ev[name] = values[i]  # None: hidden, as a command's null hides it
                yield ev
            return
        # A written field hides the stored one, except on events where it was given no value.
        hidden = {n for n, c in self.extra.items() if c.whole or (c.codes >= 0).all()}
        names = sorted(n for n in self.fields if n not in hidden)
        wide = len(self.positions) * 4 > len(store)
        cols = store.columns(names) if wide else {n: store.cheap_column(n) for n in names}
        lists = []
        getters = []
        for name in names:
            if name == "_time":
                lists.append((name, time_list(store.times()[pos])))
            elif cols.get(name) is not None:
                lists.append((name, value_list(cols[name], pos)))
            else:
                getters.append((name, field_getter(name)))
        for i, p in enumerate(pos.tolist()):
            ev = {}
            for name, values in lists:
                v = values[i]
                if v is not None:
                    ev[name] = v
            if getters:
                full = store.event(p)
                for name, get in getters:
                    v = get(full)
                    if v is not None:
                        ev[name] = v
            for name, values, _ in extra:
                v = values[i]
                if v is not None:
                    ev[name] = v
            yield ev
