"""Time in Splunk's terms, pinned to UTC: strftime/strptime with Splunk's extras, relative time
(``-24h@h``), time modifiers (earliest/latest) and spans (``span=5m``)."""
from __future__ import annotations

import calendar
import re
import time as _time
from datetime import datetime, timedelta, timezone

UNITS = {
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d",
    "w": "w", "week": "w", "weeks": "w",
    "mon": "mon", "month": "mon", "months": "mon",
    "q": "q", "qtr": "q", "qtrs": "q", "quarter": "q", "quarters": "q",
    "y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MONTHS = {"mon": 1, "q": 3, "y": 12}

_SUBSEC = re.compile(r"%(\d*)([NQ])")


def _utc(t: float) -> datetime:
    return datetime.fromtimestamp(t, tz=timezone.utc)


def strftime(t: float, fmt: str) -> str | None:
    """C strftime in UTC, plus %N/%Q (subseconds, %3N = milliseconds), %s, %F, %T; None for a
    time no calendar can show (year past 9999, NaN), as Splunk gives null."""
    try:
        return _strftime(t, fmt)
    except (OverflowError, ValueError, OSError):
        return None


def _strftime(t: float, fmt: str) -> str:
    dt = _utc(t)

    text = repr(float(t))
    fraction = text.split(".")[1] if "." in text and "e" not in text else "0"

    def subsec(m):
        digits = int(m.group(1) or (3 if m.group(2) == "Q" else 9))
        return fraction[:digits].ljust(digits, "0")

    fmt = _SUBSEC.sub(subsec, fmt)
    fmt = fmt.replace("%s", str(int(t))).replace("%F", "%Y-%m-%d").replace("%T", "%H:%M:%S")
    fmt = fmt.replace("%Z", "UTC").replace("%z", "+0000")
    return dt.strftime(fmt)


def strptime(text: str, fmt: str) -> float | int | None:
    """Epoch seconds for text in a Splunk time format, or None when it does not parse."""
    if text is None:
        return None
    if fmt == "%s":
        try:
            return int(text)
        except ValueError:
            return None
    pyfmt = _SUBSEC.sub("%f", fmt).replace("%F", "%Y-%m-%d").replace("%T", "%H:%M:%S")
    try:
        dt = datetime.strptime(text, pyfmt)
    except (ValueError, re.error, OverflowError):
        return None  # also a format that repeats a directive (%d ... %d), which Python cannot read
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    ts = dt.timestamp()
    return int(ts) if ts == int(ts) else ts


def parse_iso(text: str) -> float | None:
    """Epoch seconds for an ISO-8601 timestamp (CloudTrail's eventTime and its variants)."""
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except (ValueError, TypeError, AttributeError):
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


# ------------------------------------------------------------------ relative time

_REL = re.compile(r"([+-]?)(\d*)([a-zA-Z]+)")


def _add_months(dt: datetime, n: int) -> datetime:
    month = dt.month - 1 + n
    year = dt.year + month // 12
    month = month % 12 + 1
    day = min(dt.day, calendar.monthrange(year, month)[1])
    return dt.replace(year=year, month=month, day=day)


def _offset(dt: datetime, sign: str, count: str, unit: str) -> datetime:
    u = UNITS.get(unit.lower())
    if u is None:
        raise ValueError(unit)
    n = int(count) if count else 1
    if sign == "-":
        n = -n
    if u in SECONDS:
        return dt + timedelta(seconds=n * SECONDS[u])
    return _add_months(dt, n * MONTHS[u])


def _snap(dt: datetime, unit: str) -> datetime:
    m = re.fullmatch(r"w(\d)", unit)
    if m or unit in ("w", "week", "weeks"):
        target = int(m.group(1)) % 7 if m else 0  # @w0 and @w7: Sunday
        dt = dt.replace(hour=0, minute=0, second=0, microsecond=0)
        back = (dt.weekday() + 1 - target) % 7
        return dt - timedelta(days=back)
    u = UNITS.get(unit.lower())
    if u is None:
        raise ValueError(unit)
    if u == "s":
        return dt.replace(microsecond=0)
    if u == "m":
        return dt.replace(second=0, microsecond=0)
    if u == "h":
        return dt.replace(minute=0, second=0, microsecond=0)
    day = dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if u == "d":
        return day
    if u == "mon":
        return day.replace(day=1)
    if u == "q":
        return day.replace(day=1, month=(dt.month - 1) // 3 * 3 + 1)
    return day.replace(day=1, month=1)


def relative_time(t: float, spec: str) -> float | None:
    """Apply ``[+|-]<n><unit>[@<snap>[+|-<n><unit>]]`` to epoch t; None when malformed or
    outside the calendar (-99999999999d)."""
    try:
        return _relative_time(t, spec)
    except (OverflowError, ValueError, OSError):
        return None


def _relative_time(t: float, spec: str) -> float | None:
    spec = spec.strip()
    if spec == "now" or spec == "":
        return t
    dt = _utc(t)
    offset_part, _, snap_part = spec.partition("@")
    try:
        for m in _REL.finditer(offset_part):
            if m.group(0):
                dt = _offset(dt, m.group(1), m.group(2), m.group(3))
        if "".join(m.group(0) for m in _REL.finditer(offset_part)) != offset_part:
            return None
        if snap_part:
            sm = re.match(r"([a-zA-Z]+\d?)(.*)\Z", snap_part)
            if not sm:
                return None
            dt = _snap(dt, sm.group(1))
            for m in _REL.finditer(sm.group(2)):
                if m.group(0):
                    dt = _offset(dt, m.group(1), m.group(2), m.group(3))
    except ValueError:
        return None
    ts = dt.timestamp()
    return int(ts) if ts == int(ts) else ts


def time_modifier(text: str, now: float) -> float | None:
    """The epoch for an earliest=/latest= value: now, epoch, %m/%d/%Y:%H:%M:%S or relative."""
    text = text.strip()
    if text == "now":
        return now
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    for fmt in ("%m/%d/%Y:%H:%M:%S", "%m/%d/%Y"):
        ts = strptime(text, fmt)
        if ts is not None:
            return ts
    if re.fullmatch(r"([+-]?\d*[a-zA-Z]+)+(@[a-zA-Z]+\d?([+-]\d*[a-zA-Z]+)*)?|@[a-zA-Z]+\d?([+-]\d*[a-zA-Z]+)*", text):
        return relative_time(now, text)
    return None


def parse_span(text: str) -> tuple[float, str] | None:
    """A span such as 5m, 1h, 1d, 1mon: (count, unit) with unit 's' for seconds-based spans."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)?([a-zA-Z]+)", text.strip())
    if not m:
        return None
    u = UNITS.get(m.group(2).lower())
    if u is None:
        return None
    n = float(m.group(1) or 1)
    if not 0 < n < 1e12:
        return None  # a zero span makes no buckets; a huge one no sense
    if u in SECONDS:
        return n * SECONDS[u], "s"
    return n * MONTHS[u], "mon"


def floor_time(t: float, span: tuple[float, str]) -> float:
    n, unit = span
    if unit == "s":
        return (t // n) * n
    dt = _utc(t)
    months = dt.year * 12 + dt.month - 1
    months = int(months // n * n)
    return datetime(months // 12, months % 12 + 1, 1, tzinfo=timezone.utc).timestamp()


def wall_clock() -> float:
    return _time.time()
