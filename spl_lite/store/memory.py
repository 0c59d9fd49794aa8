"""The in-memory event store, columnar: events newest first, scanned by search terms and time.

No event is kept as a Python object. Each event is its text in a shared buffer (the file's
bytes for NDJSON, one joined buffer for records that came out of a larger document), a start
and end offset, its time in an array and its origin (index, sourcetype, source, host) as a
small code. The fields hunts read most are dictionary-encoded columns built while loading;
any other field becomes a column on first use, search-time knowledge included. An event is
parsed again from its text only when a command needs all of it.

Commands never touch the store directly: the leading search asks it to ``scan`` with a
ScanRequest and gets a Selection, which commands may read a column at a time.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np

from .columns import NULL, STORE_METADATA, Column, Encoder, columnable
from . import field_names as _fields
from .files import FileText
from . import parts
from .hot import BATCH, HOT_FIELDS, HotExtractor
from .projection import plain_path
from .line_batches import LineBatch
from .selection import Selection, parse_raw
from . import search_columns
from ..runtime.terms import TimeRange
from ..runtime.values import BODY, BUFFER, ORIGIN, RAW, Event, raw_getter

_COPIED_BUFFER = 64 << 20  # records re-serialised into one buffer, a new one past this size


@dataclass(frozen=True)
class ScanRequest:
    """What the leading search asks of the store.

    ``terms`` is the search-term tree (time modifiers already taken into ``time_range``),
    ``test`` a compiled test of all of it, ``compile`` compiles any part of it, and ``fields``
    names the fields the rest of the pipeline reads (None: all of them).
    """
    terms: object
    time_range: TimeRange
    test: Callable[[Event], bool]
    compile: Callable[[object], Callable[[Event], bool]]
    fields: frozenset | None = None


class EventStore:
    def __init__(self):
        self._n = 0
        self._time = array("d")  # nan: no time
        self._buf = array("i")
        self._start = array("q")
        self._end = array("q")
        self._origin = array("i")
        self._buffers: list = []
        self._buffer_ids: dict[int, int] = {}
        self._copied: list | None = None  # the texts of the open shared buffer, joined when it closes
        self._copied_len = 0
        self._copied_id = -1
        self._origins: list[dict] = []
        self._origin_ids: dict[int, int] = {}
        self._raw_columns: dict[str, Column | Encoder] = {}
        self._columns: dict = {}  # per field, and per (command, argument) for derived_column
        self._catalog: dict[str, int] | None = None
        self._has: dict = {}  # per field (has_field), per text (holds_text)
        self._sorted = True
        self._by_buffer: list | None = None
        self.partial = False  # loaded for one search only: lines without its terms were not read
        self._escapes: bool | None = None  # whether any text holds a \u escape
        self._escaped: dict[int, bool] = {}  # per buffer, when a loading worker found it out
        self.load_fields: frozenset | None = None  # a search run once: the fields it reads as extracted



    # Which fields the events have (field_names.py): known per load, never a rescan per search.
    def has_field(self, field: str) -> bool:
        return _fields.has_field(self, field)

    def holds_text(self, text: bytes, any_case: bool = False) -> bool:
        return _fields.holds_text(self, text, any_case)

    def holds_escapes(self) -> bool:
        return _fields.holds_escapes(self)

    def may_differ_in_case(self, field: str) -> bool:
        return _fields.may_differ_in_case(self, field)

    def defines(self, field: str) -> bool:
        return _fields.defines(self, field)

    def field_catalog(self) -> dict[str, int]:
        return _fields.field_catalog(self)

    @property
    def catalog_is_estimated(self) -> bool:
        return _fields.catalog_is_estimated(self)
    def export(self, file_range: bytes | None) -> dict:
        """What this (a loading worker's) store holds, in load order, for the engine's store to
        take; the NDJSON range it read (``file_range``) is left out: the engine holds that file."""
        return parts.export(self, file_range)

    def merge(self, part: dict, decorate, file_bytes: bytes | None = None, offset: int = 0) -> int:
        """Take a worker's part; its missing buffer is ``file_bytes``, where its offsets start at
        ``offset``."""
        return parts.merge(self, part, decorate, file_bytes, offset)
    def __len__(self) -> int:
        return self._n

    # -------------------------------------------------------------- loading
    def add(self, events) -> int:
        """Take events as the loader makes them (time, text, parsed body, origin): the body
        feeds the columns built at load, then only the text is kept."""
        self._reopen()
        for name in STORE_METADATA:  # worked out from the origins, which this load may add to
            self._raw_columns.pop(name, None)
        before = self._n
        encoders = [self._encoder(name) for name in self.load_names()]
        hot = HotExtractor(self.load_names())
        times, bufs, starts, ends, origins = self._time, self._buf, self._start, self._end, self._origin
        buffer_ids, origin_ids = self._buffer_ids, self._origin_ids
        for ev in events:
            if type(ev) is LineBatch:
                hot.flush(encoders)
                self._add_batch(ev, hot, encoders)
                continue
            origin = ev[ORIGIN]
            oc = origin_ids.get(id(origin))
            if oc is None:
                oc = origin_ids[id(origin)] = len(self._origins)
                self._origins.append(origin)
            raw = ev[RAW]
            if type(raw) is int:
                buffer = origin[BUFFER]
                b = buffer_ids.get(id(buffer))
                if b is None:
                    b = buffer_ids[id(buffer)] = len(self._buffers)
                    self._buffers.append(buffer)
                end = buffer.find(b"\n", raw)
                if end < 0:
                    end = len(buffer)
                if end > raw and buffer[end - 1] == 13:  # \r
                    end -= 1
                start = raw
                text, text_start, text_end = buffer, start, end
            else:
                text, b, start, end = self._copy(raw)
                text_start, text_end = 0, len(text)
            t = ev.get("_time")
            times.append(float("nan") if t is None else t)
            bufs.append(b)
            starts.append(start)
            ends.append(end)
            origins.append(oc)
            hot.add(ev[BODY], text, text_start, text_end)
            if len(hot.bodies) >= BATCH:
                hot.flush(encoders)
        hot.flush(encoders)
        self._n = len(times)
        self._sorted = self._n == before
        self._columns = {}
        self._catalog = None
        self._has = {}
        self._by_buffer = None
        self._escapes = None
        return self._n - before

    def _add_batch(self, batch: LineBatch, hot: HotExtractor, encoders) -> None:
        buffer = batch.buffer
        b = self._buffer_ids.get(id(buffer))
        if b is None:
            b = self._buffer_ids[id(buffer)] = len(self._buffers)
            self._buffers.append(buffer)
        origin_ids = self._origin_ids
        codes = {}
        for key, origin in dict(zip(map(id, batch.origins), batch.origins)).items():
            oc = origin_ids.get(key)
            if oc is None:
                oc = origin_ids[key] = len(self._origins)
                self._origins.append(origin)
            codes[key] = oc
        n = len(batch.starts)
        self._time.frombytes(np.asarray(batch.times, dtype=np.float64).tobytes())
        self._buf.frombytes(np.full(n, b, dtype=np.int32).tobytes())
        self._start.frombytes(batch.starts.tobytes())
        self._end.frombytes(batch.ends.tobytes())
        if len(codes) == 1:
            self._origin.frombytes(np.full(n, next(iter(codes.values())), dtype=np.int32).tobytes())
        else:
            self._origin.extend(map(codes.__getitem__, map(id, batch.origins)))
        if batch.columns is not None:
            hot.add_columns(batch.columns, encoders)
        else:
            hot.add_batch(batch)
            hot.flush(encoders)

    def load_names(self) -> tuple[str, ...]:
        """The fields made into columns at load: the hot ones, or those a search run once reads
        (any other field is read back from the text on first use, which for a file left on
        disk means parsing every line again)."""
        if self.load_fields is None:
            return HOT_FIELDS
        return tuple(f for f in HOT_FIELDS if f in self.load_fields) + \
            tuple(sorted(f for f in self.load_fields if f not in HOT_FIELDS and plain_path(f)))

    def _encoder(self, name: str) -> Encoder:
        enc = self._raw_columns.get(name)
        if enc is None:
            enc = self._raw_columns[name] = Encoder()
        assert isinstance(enc, Encoder)  # columns are made once loading is over
        enc.pad(self._n)
        return enc

    def _copy(self, raw):
        """Text that is not a slice of a file (records of a larger document, events given in
        Python) is copied into a shared buffer."""
        if type(raw) is str:
            raw = raw.encode("utf-8")
        if self._copied is None or self._copied_len > _COPIED_BUFFER:
            self._freeze_copied()
            self._copied, self._copied_len = [], 0
            self._copied_id = len(self._buffers)
            self._buffers.append(b"")
        start = self._copied_len
        self._copied.append(raw)
        self._copied_len += len(raw) + 1
        return raw, self._copied_id, start, start + len(raw)

    def _freeze_copied(self) -> None:
        if self._copied is not None:
            self._buffers[self._copied_id] = b"\n".join(self._copied + [b""])  # one allocation
            self._copied = None

    def _reopen(self) -> None:
        """Sorted arrays back to growable ones (only when events are added after a search)."""
        if isinstance(self._time, np.ndarray):
            self._time = array("d", self._time.tobytes())
            self._buf = array("i", self._buf.tobytes())
            self._start = array("q", self._start.tobytes())
            self._end = array("q", self._end.tobytes())
            self._origin = array("i", self._origin.tobytes())
            for name, col in list(self._raw_columns.items()):
                if name not in self.load_names():
                    del self._raw_columns[name]  # made on first use: made again for all the events
                elif isinstance(col, Column):
                    enc = Encoder()
                    for v in col.values:
                        enc.code(v)
                    enc.codes = array("i", col.codes.astype(np.int32).tobytes())
                    self._raw_columns[name] = enc

    def _ensure_sorted(self) -> None:
        """Newest first, as the initial search returns events; equal times keep load order."""
        if isinstance(self._time, np.ndarray) and self._sorted:
            return
        self._freeze_copied()
        times = np.frombuffer(self._time, dtype=np.float64).copy()
        key = np.where(np.isnan(times), 0.0, times)
        order = np.argsort(-key, kind="stable")
        self._time = times[order]
        self._neg_key = -key[order]
        self._buf = np.frombuffer(self._buf, dtype=np.int32)[order]
        self._start = np.frombuffer(self._start, dtype=np.int64)[order]
        self._end = np.frombuffer(self._end, dtype=np.int64)[order]
        self._origin = np.frombuffer(self._origin, dtype=np.int32)[order]
        for name, enc in list(self._raw_columns.items()):
            col = enc.column(self._n) if isinstance(enc, Encoder) else enc
            self._raw_columns[name] = Column(col.codes[order], col.values)
        self._sorted = True

    def finish(self) -> None:
        """End of a load: events ordered newest first."""
        self._ensure_sorted()

    # -------------------------------------------------------------- events
    def events(self):
        """Every event, newest first, parsed from its text (one at a time)."""
        self._ensure_sorted()
        return (self.event(p) for p in range(self._n))

    def texts(self):
        """(time, text, origin) of every event, newest first, without parsing any."""
        self._ensure_sorted()
        origins = self._origins
        for p, o in enumerate(self._origin.tolist()):
            yield self.time_of(p), self.raw(p), origins[o]

    def time_of(self, p: int):
        t = float(self._time[p])
        if t != t:
            return None
        return int(t) if t.is_integer() else t

    def raw(self, p: int) -> bytes:
        buffer = self._buffers[self._buf[p]]
        if type(buffer) is FileText:
            if buffer.reads < buffer.SLICES:
                return buffer.slice(int(self._start[p]), int(self._end[p]))
            buffer = self.text_of(self._buf[p])
        return bytes(buffer[self._start[p]:self._end[p]])

    def text_of(self, b: int) -> bytes:
        """Buffer b, a file's bytes read now if they were left on disk at load."""
        buffer = self._buffers[b]
        if type(buffer) is FileText:
            buffer = self._buffers[b] = buffer.read()
            self._buffer_ids[id(buffer)] = b
        return buffer

    def event(self, p: int) -> Event:
        raw = self.raw(p)
        return {"_time": self.time_of(p), RAW: raw, BODY: parse_raw(raw), ORIGIN: self._origins[self._origin[p]]}

    # -------------------------------------------------------------- scanning
    def scan(self, request: ScanRequest, columnar: bool = True) -> Selection | Iterator[dict]:
        """The events in the time range that match the terms, newest first: a Selection, or
        without ``columnar`` those events one by one, found without the columns."""
        self._ensure_sorted()
        lo, hi = 0, self._n
        tr = request.time_range
        if tr.latest is not None:
            lo = int(np.searchsorted(self._neg_key, -tr.latest, side="right"))
        if tr.earliest is not None:
            hi = int(np.searchsorted(self._neg_key, -tr.earliest, side="right"))
        positions = search_columns.select(self, request, lo, max(lo, hi), columnar)
        selection = Selection(self, positions, request.fields, everything=len(positions) == self._n)
        return selection if columnar else iter(selection)

    # -------------------------------------------------------------- columns
    def origin_codes(self) -> np.ndarray:
        self._ensure_sorted()
        return self._origin

    def origins(self) -> list[dict]:
        return self._origins

    def times(self) -> np.ndarray:
        self._ensure_sorted()
        return self._time

    def derived_column(self, key: tuple, make) -> Column | None:
        """A column a command works out from the events (spath's value at a path), made by
        ``make()`` once per load, in store order."""
        if key not in self._columns:
            self._ensure_sorted()
            self._columns[key] = make()
        return self._columns[key]

    def cached_column(self, name: str) -> Column | None:
        return self._columns.get(name)

    def column(self, name: str) -> Column | None:
        """The field's value for every event in store order, search-time knowledge included;
        None for the names that are no column (_raw, _time, date_*, wildcards)."""
        if not columnable(name):
            return None
        col = self._columns.get(name)
        if col is None:
            self._ensure_sorted()
            from .knowledge_columns import knowledge_column
            col = self._columns[name] = knowledge_column(self, name)
        return col

    def columns(self, names) -> dict[str, Column]:
        """Several columns; the fields not yet extracted are read from the events in one pass."""
        names = [n for n in names if columnable(n)]
        from .knowledge_columns import raw_inputs_of
        need: set[str] = set()
        for n in names:
            if n not in self._columns:
                need |= raw_inputs_of(self, n)
        self.raw_columns(need)
        return {n: col for n in names if (col := self.column(n)) is not None}

    def has_raw_column(self, name: str) -> bool:
        return name in self._raw_columns or name in STORE_METADATA

    def cheap_column(self, name: str) -> Column | None:
        """The column if it needs no pass over the events' text (None otherwise)."""
        if not columnable(name):
            return None
        from .knowledge_columns import cheap_column
        self._ensure_sorted()
        return cheap_column(self, name)

    def raw_column(self, name: str) -> Column | None:
        """The field as extracted, before search-time knowledge."""
        if not columnable(name):
            return None
        return self.raw_columns([name])[name]

    def raw_columns(self, names) -> dict[str, Column]:
        self._ensure_sorted()
        out: dict[str, Any] = {}  # loading is over: every entry of _raw_columns is a Column
        missing = []
        for name in names:
            col = self._raw_columns.get(name)
            if col is None and name in STORE_METADATA:
                col = self._raw_columns[name] = self._metadata_column(name)
            if col is None:
                missing.append(name)
            else:
                out[name] = col
        for name in [n for n in missing if not _fields.may_hold(self, n)]:
            missing.remove(name)
            out[name] = self._raw_columns[name] = Column(np.full(self._n, NULL, dtype=np.int32), [])
        if missing:
            encoders = {name: Encoder() for name in missing}
            getters = [(raw_getter(name), encoders[name]) for name in missing]
            for p in range(self._n):
                ev = self.event(p)
                for get, enc in getters:
                    enc.add(get(ev))
            for name, enc in encoders.items():
                out[name] = self._raw_columns[name] = enc.column(self._n)
        return out

    def _metadata_column(self, name: str) -> Column:
        enc = Encoder()
        remap = np.array([NULL] + [enc.code(o.get(name)) for o in self._origins], dtype=np.int32)
        return Column(remap[self._origin + 1], enc.values)

    # -------------------------------------------------------------- raw text
    def buffers_by_start(self):
        """Per buffer: (buffer, starts ascending, store positions) for mapping text offsets
        found by a byte search back to events."""
        if self._by_buffer is None:
            self._ensure_sorted()
            out = []
            for b in range(len(self._buffers)):
                buffer = self.text_of(b)
                pos = np.nonzero(self._buf == b)[0]
                order = np.argsort(self._start[pos], kind="stable")
                pos = pos[order]
                out.append((buffer, self._start[pos], self._end[pos], pos))
            self._by_buffer = out
        return self._by_buffer
