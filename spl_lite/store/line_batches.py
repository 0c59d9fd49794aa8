"""NDJSON read a window of lines at a time: the lines of a window are split, parsed, timed and
given their origin by C loops over the whole window (``map`` over lists), not by a chain of
Python calls per line. A window holding anything unusual (a blank or malformed line, a value
that is not an object, a "_time" key, a time that is not CloudTrail's own format) is read line
by line instead, by the one reader that knows every rule, so the rules stay in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

import numpy as np
import orjson

from ..runtime.values import BODY, ORIGIN, RAW
from .tolerant_json import SURROGATE_ESCAPE

WINDOW = 1 << 20  # bytes of lines per window: some 800 events (a parsed window's bodies stay in the cache)


@dataclass(slots=True)
class LineBatch:
    """Consecutive events of one buffer: their parsed bodies (or, read by a Projection, the
    values of the columns made at load), line offsets, times and origins."""
    buffer: bytes
    bodies: list | None
    starts: np.ndarray  # int64 offsets
    ends: np.ndarray
    times: list
    origins: list
    columns: dict | None = None


def each_event(items):
    """The events of a reader's output, batches taken apart, for the consumers that take
    events one at a time (eventID dedup, the ingest's staging: they read whole bodies)."""
    for item in items:
        if type(item) is LineBatch:
            assert item.bodies is not None, "a projected batch has no bodies"
            for body, start, t, origin in zip(item.bodies, item.starts.tolist(), item.times, item.origins):
                yield {"_time": float(t), RAW: start, BODY: body, ORIGIN: origin}
        else:
            yield item


def line_batches(data: bytes, start: int, stop: int, origins, cloudtrail_time, one_by_one, projection=None):
    """LineBatch for each ordinary window of ``data[start:stop]`` (whole lines), else what
    ``one_by_one(window_start, window_end, lines_before)`` yields for that window. With a
    Projection (the fields made into columns at load), a window it can read carries those
    columns' values instead of parsed bodies."""
    pos, lines_read = start, 0
    while pos < stop:
        cut = stop if stop - pos <= WINDOW else data.rfind(b"\n", pos, pos + WINDOW) + 1
        if cut <= pos:  # one line longer than the window
            cut = data.find(b"\n", pos + WINDOW, stop) + 1 or stop
        window = data[pos:cut]
        starts, ends = _line_offsets(window)
        batch = None
        if b"\r" not in window:
            read = projection.read(window, starts, ends) if projection is not None else None
            if read is not None:
                columns, stamps, named = read
                batch = _batch(data, pos, starts, ends, None, stamps, origins, cloudtrail_time, named)
                if batch is not None:
                    batch.columns = columns
            if batch is None:
                read = _parse(window)
                if read is not None:
                    bodies, stamps = read
                    batch = _batch(data, pos, starts, ends, bodies, stamps, origins, cloudtrail_time, None)
        if batch is not None:
            yield batch
        else:
            yield from one_by_one(pos, cut, lines_read)
        lines_read += len(starts)
        pos = cut


def _line_offsets(window: bytes):
    """Where each line of the window starts and ends (before its newline)."""
    ends = np.flatnonzero(np.frombuffer(window, dtype=np.uint8) == 10)
    if not window.endswith(b"\n"):
        ends = np.append(ends, len(window))
    starts = np.empty_like(ends)
    starts[:1] = 0
    starts[1:] = ends[:-1] + 1
    return starts, ends


def _parse(window: bytes):
    """(bodies, eventTime values) of lines that are all JSON objects without a "_time" key."""
    if SURROGATE_ESCAPE.search(window) is not None:
        return None  # the line reader reads a lone surrogate as U+FFFD
    lines = window.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    try:
        bodies = list(map(orjson.loads, lines))
    except orjson.JSONDecodeError:
        return None
    if set(map(type, bodies)) != _OBJECT or any(map(dict.__contains__, bodies, repeat("_time"))):
        return None
    return bodies, list(map(dict.get, bodies, repeat("eventTime")))


def _batch(data, pos, starts, ends, bodies, stamps, origins, cloudtrail_time, named):
    """The window's LineBatch, or None unless every eventTime is CloudTrail's own format.
    ``named``: whether every line has eventName (None: look in the bodies)."""
    if set(map(type, stamps)) != _TEXT:
        return None
    times = cloudtrail_times(stamps)
    if times is None:
        times = list(map(cloudtrail_time, stamps))
        if None in times:
            return None
    if named is None:
        kinds = _origins(bodies, origins)
    elif origins.fixed or named:
        kinds = [origins.for_record(_CLOUDTRAIL)] * len(stamps)
    else:
        return None
    return LineBatch(data, bodies, starts + pos, ends + pos, times, kinds)


def cloudtrail_times(stamps: list[str]):
    """Epoch seconds of CloudTrail eventTimes (2024-03-04T10:00:00Z) worked out for the whole
    window at once, or None when any is not a plain valid time of that form (those are left
    to the one rule for a single time, records.cloudtrail_time)."""
    if set(map(len, stamps)) != _LENGTH_20:
        return None
    try:
        text = "".join(stamps).encode("ascii")
    except UnicodeEncodeError:
        return None
    chars = np.frombuffer(text, dtype=np.uint8).reshape(-1, 20)
    if (chars[:, _SEPARATORS] != _SEPARATOR_CHARS).any():
        return None
    digits = chars[:, _DIGITS].astype(np.int64) - 48
    if ((digits < 0) | (digits > 9)).any():
        return None
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month, day = digits[:, 4] * 10 + digits[:, 5], digits[:, 6] * 10 + digits[:, 7]
    hour, minute = digits[:, 8] * 10 + digits[:, 9], digits[:, 10] * 10 + digits[:, 11]
    second = digits[:, 12] * 10 + digits[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    if ((year < 1900) | (month < 1) | (month > 12) | (day < 1) | (hour > 23) | (minute > 59)).any():
        return None
    if (day > _MONTH_DAYS[month] + ((month == 2) & leap)).any():
        return None
    # Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    return (days * 86400 + hour * 3600 + minute * 60 + second).astype(np.float64)


def _origins(bodies: list, origins) -> list:
    """Each body's origin; CloudTrail's records (they hold eventName) share one."""
    if origins.fixed or all(map(dict.__contains__, bodies, repeat("eventName"))):
        return [origins.for_record(bodies[0])] * len(bodies)
    return list(map(origins.for_record, bodies))


_OBJECT = {dict}
_CLOUDTRAIL = {"eventName": None}  # what tells a CloudTrail record (records.is_cloudtrail)
_TEXT = {str}
_LENGTH_20 = {20}
_SEPARATORS = [4, 7, 10, 13, 16, 19]
_SEPARATOR_CHARS = np.frombuffer(b"--T::Z", dtype=np.uint8)
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
