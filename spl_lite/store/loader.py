"""Read JSON event files: NDJSON, JSON arrays and CloudTrail's {"Records": [...]}, gzipped or not.

A malformed line or file is reported with its file and line, counted, and skipped; the rest
loads. CloudTrail digest files are skipped. The garbage collector is paused while loading.
"""
from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import orjson

from . import s3
from .files import ARCHIVE_SUFFIXES, FileProblem, find_files, read_file_bytes, zip_members
from .tolerant_json import ARRAY_START, array_elements, dumps_deep, loads_tolerant
from ..runtime.timeutil import parse_iso
from ..runtime.values import BODY, BUFFER, DATES, ORIGIN, RAW, to_number

TIME_KEYS = ("eventTime", "timestamp", "@timestamp", "time", "date", "datetime", "created_at")


@dataclass
class LoadReport:
    files: int = 0
    events: int = 0
    skipped_files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "file:line: message"
    bad_lines: int = 0  # malformed lines or records, skipped
    bad_files: int = 0  # files not loaded (unreadable, corrupt, too large, not data)
    pruned_files: int = 0  # S3-layout files outside the search's time range, not read
    duplicates: int = 0  # events dropped because their eventID was already loaded
    bytes: int = 0
    accounts: set = field(default_factory=set)
    regions: set = field(default_factory=set)

    def merge(self, other: "LoadReport") -> None:
        self.files += other.files
        self.events += other.events
        self.skipped_files += other.skipped_files
        self.errors += other.errors
        self.bad_lines += other.bad_lines
        self.bad_files += other.bad_files
        self.pruned_files += other.pruned_files
        self.duplicates += other.duplicates
        self.bytes += other.bytes
        self.accounts |= other.accounts
        self.regions |= other.regions


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
            if t is None and to_number(v) is not None:
                t = epoch_seconds(to_number(v))
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


def _records_of(doc) -> list | None:
    if type(doc) is dict and type(doc.get("Records")) is list:
        return doc["Records"]
    if type(doc) is list:
        return doc
    return None


def read_file(path: Path, report: LoadReport, *, sourcetype: str | None, index: str,
              host: str, decorate=None, wanted=None) -> Iterator[dict]:
    name = str(path)
    try:
        data = read_file_bytes(path)
    except FileProblem as e:
        report.errors.append(f"{name}: {e}")
        report.bad_files += 1
        return
    except OSError as e:
        report.errors.append(f"{name}: cannot read ({e.strerror or e})")
        report.bad_files += 1
        return
    yield from read_data(name, data, report, sourcetype=sourcetype, index=index, host=host, decorate=decorate,
                         wanted=wanted)


def read_data(name: str, data: bytes, report: LoadReport, *, sourcetype: str | None, index: str,
              host: str, decorate=None, wanted=None) -> Iterator[dict]:
    """The events in one file's (decompressed) bytes; with ``wanted``, only those whose text
    holds every one of those texts (in any case)."""
    report.bytes += len(data)
    text = data.lstrip()
    if not text:
        return
    origins = Origins(name, sourcetype, index, host, decorate)
    if text[:1] in (b"{", b"[") and not _ndjson(text):
        try:
            doc = orjson.loads(text)
        except orjson.JSONDecodeError:
            doc = None
            elements = ARRAY_START.match(text)
            if elements is not None:
                # One bad record (too deep, a number like 1e400) must not lose the whole file.
                report.files += 1
                if elements.group(1) and sourcetype is None:
                    origins.fixed = "aws:cloudtrail"
                yield from _read_elements(text, elements.end(), name, report, origins)
                return
        if doc is not None:
            if is_digest(name, doc):
                report.skipped_files.append(name)
                return
            records = _records_of(doc)
            if records is not None:
                report.files += 1
                if type(doc) is dict and sourcetype is None:
                    origins.fixed = "aws:cloudtrail"  # CloudTrail's S3 layout
                for i, rec in enumerate(records):
                    if type(rec) is not dict:
                        report.errors.append(f"{name}: record {i + 1}: not a JSON object")
                        report.bad_lines += 1
                        continue
                    try:
                        raw = orjson.dumps(rec)
                    except orjson.JSONEncodeError:  # nested deeper than orjson writes
                        raw = dumps_deep(rec)
                    if wanted and not all(w in raw.lower() for w in wanted):
                        continue
                    yield make_event(rec, raw, origins)
                return
            if type(doc) is dict and b"\n{" not in text.rstrip():
                report.files += 1
                yield make_event(doc, text.strip(), origins)
                return
    report.files += 1
    yield from _read_ndjson(data, name, report, origins, wanted=wanted)


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
                 wanted: list[bytes] | None = None) -> Iterator[dict]:
    """One event a line. _raw stays in the file's buffer, kept once: each event holds only
    the offset of its line, which saves a copy of every line while loading. With ``wanted``
    (a one-shot search's texts), only the lines holding all of them are parsed."""
    origins.buffer = data
    if wanted:
        yield from _wanted_lines(data, name, report, origins, first_line, wanted)
        return
    view = memoryview(data)
    find = data.find
    pos, size, lineno = 0, len(data), first_line
    while pos < size:
        end = find(b"\n", pos)
        if end < 0:
            end = size
        lineno += 1
        start, pos = pos, end + 1
        if start == end:
            # A run of blank lines is skipped in one step: a file of a billion newlines must
            # not cost a billion turns of this loop.
            blank = _NOT_BLANK.search(data, pos)
            nxt = size if blank is None else data.rfind(b"\n", pos, blank.start()) + 1 or pos
            if nxt > pos:
                lineno += data.count(b"\n", pos, nxt)
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
        rec = orjson.loads(view[start:end])
    except orjson.JSONDecodeError:
        if not data[start:end].strip():
            return None
        rec = None
    return _record_event(data[start:end], rec, f"{name}:{lineno}", start, report, origins)


_NOT_BLANK = re.compile(rb"[^\s]")


def _sources(path: Path, report: LoadReport, earliest, latest):
    """(name, bytes or None for "read the file") of each file to load, pruning S3-layout files
    outside the time range."""
    if path.name.lower().endswith(ARCHIVE_SUFFIXES):
        yield from zip_members(path, report, lambda name: _pruned(name, report, earliest, latest))
        return
    if not _pruned(str(path), report, earliest, latest):
        yield str(path), None


def _pruned(name: str, report: LoadReport, earliest, latest) -> bool:
    loc = s3.location(name)
    if loc is not None:
        report.accounts.add(loc.account)
        report.regions.add(loc.region)
    if s3.outside(loc, earliest, latest):
        report.pruned_files += 1
        return True
    return False


def _unique(events, seen: set, report: LoadReport):
    """Drop events whose eventID was loaded already (copies and re-exports overlap in dumps)."""
    for ev in events:
        event_id = ev[BODY].get("eventID")
        if event_id is not None:
            if event_id in seen:
                report.duplicates += 1
                continue
            seen.add(event_id)
        yield ev


def load_paths(paths, store, *, sourcetype: str | None = None, index: str = "main",
               host: str = "localhost", decorate=None, earliest=None, latest=None,
               seen_ids: set | None = None, seen_files: set | None = None, progress=None,
               wanted: list[bytes] | None = None) -> LoadReport:
    """Load files into the store; returns what was loaded, skipped and reported.

    ``earliest``/``latest`` skip S3-layout files whose day is outside that range; ``seen_ids``
    (a set kept across loads) drops duplicate eventIDs; ``seen_files`` (real paths, kept across
    loads) keeps a file from loading twice; ``progress(report)`` is called per file.
    """
    seen_files = set() if seen_files is None else seen_files
    report = LoadReport()
    was_enabled = gc.isenabled()
    gc.disable()
    options = dict(sourcetype=sourcetype, index=index, host=host, wanted=wanted)
    try:
        sources = [(name, f, data) for p in paths for f in find_files(p, report, seen_files)
                   for name, data in _sources(f, report, earliest, latest)]
        from . import load_workers
        n = load_workers.workers()
        parts = load_workers.plan(sources, n) if seen_ids is None and hasattr(store, "merge") else None
        if parts:
            _load_in_workers(parts, store, report, options, decorate, n, progress)
        else:
            for name, f, data in sources:
                events = read_file(f, report, decorate=decorate, **options) if data is None else \
                    read_data(name, data, report, decorate=decorate, **options)
                if seen_ids is not None:
                    events = _unique(events, seen_ids, report)
                report.events += store.add(events)
                if progress is not None:
                    progress(report)
    finally:
        if was_enabled:
            gc.enable()
        # Loaded events live as long as the engine: keep them out of later collections.
        gc.freeze()
    return report


def _load_in_workers(parts, store, report: LoadReport, options: dict, decorate, n: int, progress) -> None:
    """Parts parsed in worker processes, taken by the store in load order; the NDJSON files
    split into ranges are read here meanwhile (the store keeps their text once)."""
    from . import load_workers
    answers = load_workers.results(parts, options, n)
    whole: dict[str, bytes] = {}
    for kind, name, path, a, b in parts:
        if kind == "range" and path not in whole and not options.get("wanted"):
            whole[path] = load_workers.read_whole(path)
    for (kind, name, path, a, b), (part, done) in zip(parts, answers):
        report.events += store.merge(part, decorate, whole.get(path), a if kind == "range" else 0)
        done.events = 0
        report.merge(done)
        if progress is not None:
            progress(report)
