"""Read JSON event files: NDJSON, JSON arrays and CloudTrail's {"Records": [...]}, gzipped or not.

A malformed line or file is reported with its file and line, counted, and skipped; the rest
loads. CloudTrail digest files are skipped. The garbage collector is paused while loading.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import orjson

from . import s3
from .files import ARCHIVE_SUFFIXES, FileProblem, FileText, find_files, read_file_bytes, zip_members
from .line_batches import each_event
from .records import Origins, _ndjson, _read_elements, _read_ndjson, is_digest, make_event
from .tolerant_json import ARRAY_START, dumps_deep, loads
from ..runtime.values import BODY, holds_lowered


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


def _records_of(doc) -> list | None:
    if type(doc) is dict and type(doc.get("Records")) is list:
        return doc["Records"]
    if type(doc) is list:
        return doc
    return None


def read_file(path: Path, report: LoadReport, *, sourcetype: str | None, index: str,
              host: str, decorate=None, wanted=None, fields=None) -> Iterator[dict]:
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
    problem = getattr(data, "problem", "")
    if problem:  # a gzip file with bytes after its data: what came before is read
        report.errors.append(f"{name}: {problem}")
    yield from read_data(name, data, report, sourcetype=sourcetype, index=index, host=host, decorate=decorate,
                         wanted=wanted, fields=fields)


def read_data(name: str, data: bytes, report: LoadReport, *, sourcetype: str | None, index: str,
              host: str, decorate=None, wanted=None, fields=None) -> Iterator[dict]:
    """The events in one file's (decompressed) bytes; with ``wanted``, only those whose text
    holds every one of those texts (in any case); with ``fields`` (the only fields a one-shot
    search reads), NDJSON bodies may hold only what those fields need."""
    report.bytes += len(data)
    text = data.lstrip()
    if not text:
        return
    origins = Origins(name, sourcetype, index, host, decorate)
    if text[:1] in (b"{", b"[") and not _ndjson(text):
        try:
            doc = loads(text)
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
                    if wanted and not all(holds_lowered(raw, w) for w in wanted):
                        continue
                    yield make_event(rec, raw, origins)
                return
            if type(doc) is dict and b"\n{" not in text.rstrip():
                report.files += 1
                yield make_event(doc, text.strip(), origins)
                return
    report.files += 1
    yield from _read_ndjson(data, name, report, origins, wanted=wanted, fields=fields)


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
    for ev in each_event(events):
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
    # Bodies hold only what the columns made at load read, unless eventIDs are to be compared.
    fields = store.load_names() if seen_ids is None and hasattr(store, "load_names") else None
    options: dict[str, Any] = dict(sourcetype=sourcetype, index=index, host=host, wanted=wanted, fields=fields)
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
    answers = load_workers.results(parts, {**options, "load_fields": store.load_fields}, n)
    next(answers)  # the workers start before this process reads the files it keeps
    try:
        whole: dict[str, bytes | FileText] = {}
        for kind, name, path, a, b in parts:
            if kind == "range" and path not in whole and not options.get("wanted"):
                # Loaded for one search that names its fields: the text waits on disk until a
                # command needs it (most never do).
                whole[path] = FileText(path) if store.load_fields is not None else load_workers.read_whole(path)
        for (kind, name, path, a, b), (part, done) in zip(parts, answers):
            report.events += store.merge(part, decorate, whole.get(path), part.get("offset", 0))
            done.events = 0
            report.merge(done)
            if progress is not None:
                progress(report)
    finally:
        answers.close()
