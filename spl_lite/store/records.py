"""From a record or a line of text to an event: its time (CloudTrail's eventTime or a common
timestamp field), its origin (index, sourcetype, source, host) and its body; NDJSON read line by
line, a malformed line or record reported with its file and line and skipped."""
from __future__ import annotations

import re
from typing import Iterator

import orjson

from .line_batches import line_batches
from .projection import Projection
from .tolerant_json import array_elements, loads, loads_tolerant
from ..runtime.timeutil import parse_iso
from ..runtime.values import BODY, BUFFER, DATES, ORIGIN, RAW, to_number

TIME_KEYS = ("eventTime", "timestamp", "@timestamp", "time", "date", "datetime", "created_at")


def is_cloudtrail(record: dict) -> bool:
    """A CloudTrail record, also the partial ones that test fixtures and exports carry."""
    if str(record.get("eventType", "")).startswith("Aws"):
        return True
    return "eventName" in record or ("eventVersion" in record and "userIdentity" in record)


def is_digest(name: str, doc) -> bool:
    if "CloudTrail-Digest" in name:
        return True
    return type(doc) is dict and "digestPublicKeyFingerprint" in doc


_MINUTES: dict[str, int] = {}


def cloudtrail_time(text: str) -> int | None:
    """Epoch seconds for CloudTrail's own eventTime format, 2024-03-04T10:00:00Z, fast."""
    if len(text) != 20 or text[10] != "T" or text[19] != "Z" or not text[17:19].isdigit():
        return None
    minute = _MINUTES.get(text[:16])
    if minute is None:
        t = parse_iso(text[:16] + ":00Z")
        if t is None:
            return None
        if len(_MINUTES) > 100_000:
            _MINUTES.clear()
        minute = _MINUTES[text[:16]] = int(t)
    return minute + int(text[17:19])


def epoch_seconds(v: float) -> float | None:
    """An epoch in seconds, also from milli-, micro- or nanoseconds (13, 16, 19 digits)."""
    v = float(v)
    if v != v or v in (float("inf"), float("-inf")):
        return None
    while abs(v) > 1e11:
        v /= 1000
    return v


def event_time(record: dict) -> float | None:
    """_time for a JSON record: CloudTrail's eventTime, else a common timestamp field."""
    et = record.get("eventTime")
    t: float | None
    if type(et) is str:
        t = cloudtrail_time(et)
        if t is not None:
            return t
    for key in TIME_KEYS:
        v = record.get(key)
        if v is None:
            continue
        if type(v) in (int, float):
            return epoch_seconds(v)
        if type(v) is str:
            t = parse_iso(v)
            n = to_number(v)
            if t is None and n is not None:
                t = epoch_seconds(n)
            if t is not None:
                return t
    return None


class Origins:
    """The default fields of one source, one shared dict per sourcetype: events only point to it."""

    def __init__(self, source: str, sourcetype: str | None, index: str, host: str, decorate=None,
                 dates: bool = True):
        self.fixed = sourcetype
        self.base = {"index": index, "source": source, "host": host, DATES: dates}
        self.decorate = decorate  # attaches the sourcetype's search-time knowledge
        self.by_sourcetype: dict[str, dict] = {}
        self.buffer: bytes | None = None  # the file's bytes, when events point into it

    def for_record(self, record: dict) -> dict:
        st = self.fixed or ("aws:cloudtrail" if is_cloudtrail(record) else "json")
        origin = self.by_sourcetype.get(st)
        if origin is None:
            origin = {**self.base, "sourcetype": st, BUFFER: self.buffer}
            if self.decorate is not None:
                origin = self.decorate(origin)
            self.by_sourcetype[st] = origin
        return origin


def make_event(record: dict, raw, origins: Origins) -> dict:
    """An event for the store: its time, text, JSON body (shared, never copied) and origin."""
    if "_time" in record:
        t = to_number(record.pop("_time"))
    else:
        t = event_time(record)
    return {"_time": t, RAW: raw, BODY: record, ORIGIN: origins.for_record(record)}


def _ndjson(text: bytes) -> bool:
    """A first line that is a whole JSON object with more after it: one event per line, so the
    file is not parsed as one document first (that failed attempt cost 1.7 s per 1.3 GB)."""
    end = text.find(b"\n")
    if end < 0 or _NOT_BLANK.search(text, end) is None:
        return False
    try:
        return type(orjson.loads(text[:end])) is dict
    except orjson.JSONDecodeError:
        return False


def _read_elements(text: bytes, start: int, name: str, report, origins: Origins) -> Iterator[dict]:
    """The records of an array that does not parse as a whole, each parsed on its own; the
    ones that fail are reported by number."""
    for number, piece in enumerate(array_elements(text, start), 1):
        if piece is None:  # what was read is kept; a record it ends inside was reported above
            report.errors.append(f"{name}: the file ends inside its array of records (cut short?)")
            return
        ev = _element_event(piece, number, name, report, origins)
        if ev is not None:
            yield ev


def _element_event(piece: bytes, number: int, name: str, report, origins: Origins):
    return _record_event(piece, None, f"{name}: record {number}", piece, report, origins)


def _record_event(text: bytes, rec, where: str, raw, report, origins: Origins):
    """The event of one record (parsed from ``text`` unless ``rec`` is given), or None with
    the problem reported at ``where`` (file and line or record number)."""
    if rec is None:
        try:
            rec = loads_tolerant(text)
        except ValueError as e:
            report.errors.append(f"{where}: {e}")
            report.bad_lines += 1
            return None
    if type(rec) is not dict:
        report.errors.append(f"{where}: not a JSON object")
        report.bad_lines += 1
        return None
    return make_event(rec, raw, origins)


def _read_ndjson(data: bytes, name: str, report, origins: Origins, first_line: int = 0,
                 wanted: list[bytes] | None = None, fields=None, start: int = 0) -> Iterator:
    """One event a line, in LineBatches where the lines allow. _raw stays in the file's buffer,
    kept once: each event holds only the offset of its line, which saves a copy of every line
    while loading. With ``wanted`` (a one-shot search's texts), only the lines holding all of
    them are parsed. ``data`` may be a read-only mmap, whose lines from ``start`` are read."""
    origins.buffer = data
    if wanted:
        yield from _wanted_lines(data, name, report, origins, first_line, wanted)
        return
    view = memoryview(data)

    def one_by_one(start, stop, lines_before):
        return _lines(data, view, start, stop, first_line + lines_before, name, report, origins)

    yield from line_batches(data, start, len(data), origins, cloudtrail_time, one_by_one, Projection.of(fields))


def _lines(data: bytes, view, pos: int, size: int, lineno: int, name: str, report, origins) -> Iterator[dict]:
    """The events of the lines of ``data[pos:size]``, the first being line ``lineno + 1``."""
    find = data.find
    while pos < size:
        end = find(b"\n", pos, size)
        if end < 0:
            end = size
        lineno += 1
        start, pos = pos, end + 1
        if start == end:
            # A run of blank lines is skipped in one step: a file of a billion newlines must
            # not cost a billion turns of this loop.
            blank = _NOT_BLANK.search(data, pos, size)
            nxt = size if blank is None else data.rfind(b"\n", pos, blank.start()) + 1 or pos
            if nxt > pos:
                lineno += data[pos:nxt].count(b"\n")  # an mmap has no count()
                pos = nxt
            continue
        ev = _line_event(data, view, start, end, lineno, name, report, origins)
        if ev is not None:
            yield ev


def _wanted_lines(data: bytes, name: str, report, origins: Origins, first_line: int, wanted) -> Iterator[dict]:
    """The events of the lines holding every wanted text; each line's text is copied, so the
    file's bytes need not be kept for the few events a one-shot search keeps."""
    from .prefilter import candidate_lines
    view = memoryview(data)
    at, lineno = 0, first_line + 1
    for start, end in candidate_lines(data, wanted):
        lineno += data.count(b"\n", at, start)
        at = start
        ev = _line_event(data, view, start, end, lineno, name, report, origins)
        if ev is not None:
            ev[RAW] = data[start:end]
            yield ev


def _line_event(data: bytes, view, start: int, end: int, lineno: int, name: str, report, origins):
    try:
        rec = loads(view[start:end])
    except orjson.JSONDecodeError:
        if not data[start:end].strip():
            return None
        rec = None
    return _record_event(data[start:end], rec, f"{name}:{lineno}", start, report, origins)


_NOT_BLANK = re.compile(rb"[^\s]")
