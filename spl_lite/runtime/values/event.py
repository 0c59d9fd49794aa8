"""The layout of an event and reading or writing its fields.

An event is a plain dict of field name -> value. Events loaded from JSON keep their parsed
body under the key ``BODY`` and resolve Splunk's flattened names (``a.b``, ``a{}.b``) from it
on demand, so loading never pays for flattening and the body is shared, never copied. A flat
key always wins over the body, and a flat ``None`` hides a body field (it was removed or
set to null by a command).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from .json import body_value, json_leaves, json_scalar, flatten
from .scalar import Value, to_number

Event = dict

BODY = "\x00body"  # the parsed JSON body, shared with the store
RAW = "\x00raw"  # the event's text: str, bytes, or an offset into its file's buffer
ORIGIN = "\x00origin"  # a dict shared by the events of one file: index, sourcetype, source, host
BUFFER = "\x00buffer"  # in an origin: the file's bytes, which offsets in RAW point into
KNOWLEDGE = "\x00knowledge"  # in an origin: the search-time knowledge of its sourcetype
DATES = "\x00dates"  # in an origin: the events' time came from their text, so date_* fields exist
DATE_FIELDS = ("date_second", "date_minute", "date_hour", "date_mday", "date_month", "date_wday",
               "date_year", "date_zone")
METADATA = frozenset(("_raw", "index", "sourcetype", "source", "host") + DATE_FIELDS)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def raw_bytes(event: Event):
    """The event's text as loaded: str or bytes (None for results that have no _raw)."""
    raw = event.get(RAW)
    if type(raw) is int:
        buffer = event[ORIGIN][BUFFER]
        end = buffer.find(b"\n", raw)
        line = buffer[raw:end if end >= 0 else len(buffer)]
        return line[:-1] if line.endswith(b"\r") else line
    return raw


def raw_text(event: Event) -> str | None:
    raw = raw_bytes(event)
    return raw.decode("utf-8", "replace") if type(raw) is bytes else raw


def _metadata(event: Event, name: str) -> Value:
    if name == "_raw":
        return raw_text(event)
    origin = event.get(ORIGIN)
    if origin is None:
        return None
    if name.startswith("date_"):
        return _date_field(event, name) if origin.get(DATES) else None
    return origin.get(name)


def _date_field(event: Event, name: str) -> Value:
    """Splunk's date_* fields, as numbers without padding and lower-case names (UTC)."""
    t = to_number(event.get("_time"))
    if t is None:
        return None  # _time made text by convert ctime(_time) or eval: no date to show
    try:
        dt = datetime.fromtimestamp(t, tz=timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None
    return {"date_second": str(dt.second), "date_minute": str(dt.minute), "date_hour": str(dt.hour),
            "date_mday": str(dt.day), "date_month": _MONTHS[dt.month - 1], "date_wday": _WEEKDAYS[dt.weekday()],
            "date_year": str(dt.year), "date_zone": "0"}[name]


def _knowledge(event: Event):
    origin = event.get(ORIGIN)
    return origin.get(KNOWLEDGE) if origin is not None else None


def raw_field(event: Event, name: str) -> Value:
    """A field as extracted from the event, before any search-time knowledge."""
    if name in event:
        return event[name]
    body = event.get(BODY)
    if body is None:
        return None
    if name in METADATA:
        return _metadata(event, name)
    return body_value(body, name)


def get_field(event: Event, name: str) -> Value:
    """The value of a field in an event (None when missing), search-time knowledge included."""
    if name in event:
        return event[name]
    k = _knowledge(event)
    if k is not None and name in k.fields:
        return k.compute(event, name)
    return raw_field(event, name)


_MISSING = object()
_GETTERS: dict[tuple[str, bool], "Callable[[Event], Value]"] = {}


def field_getter(name: str, knowledge: bool = True):
    """A fast function event -> value for one field name (what get_field does, specialised;
    without ``knowledge``, what raw_field does)."""
    getter = _GETTERS.get((name, knowledge))
    if getter is None:
        getter = _GETTERS[(name, knowledge)] = _make_getter(name, knowledge)
    return getter


def raw_getter(name: str):
    return field_getter(name, knowledge=False)


def _make_getter(name: str, knowledge: bool):
    if name in METADATA or "{" in name:
        return (lambda ev: get_field(ev, name)) if knowledge else (lambda ev: raw_field(ev, name))
    keys = name.split(".")
    parents, last = keys[:-1], keys[-1]

    def get_nested(ev):
        v = ev.get(name, _MISSING)
        if v is not _MISSING:
            return v
        if knowledge:
            origin = ev.get(ORIGIN)
            if origin is not None:
                k = origin.get(KNOWLEDGE)
                if k is not None and name in k.fields:
                    return k.compute(ev, name)
        body = ev.get(BODY)
        if body is None:
            return None
        node = body
        for k in parents:
            nxt = node.get(k)
            if type(nxt) is not dict:
                if type(nxt) is not list:  # missing, JSON null or a scalar: the path ends here
                    if k in node:
                        return None
                    prefix = k + "."
                    for key in node:
                        if key.startswith(prefix):
                            return body_value(body, name)  # a key that holds dots
                    return None
                return body_value(body, name)  # arrays, or keys that hold dots
            node = nxt
        v = node.get(last, _MISSING)
        if type(v) is str:
            return v
        if v is _MISSING:
            return None if name not in body else body_value(body, name)
        return None if type(v) is dict or type(v) is list else json_scalar(v)
    return get_nested


def event_fields(event: Event) -> dict:
    """Every non-null field of the event, flattened, as a new dict."""
    body = event.get(BODY)
    out = flatten(body) if body is not None else {}
    if body is not None:
        for name in METADATA:
            v = _metadata(event, name)
            if v is not None:
                out[name] = v
    knowledge = _knowledge(event)
    if knowledge is not None:
        for name, v in knowledge.compute_all(event).items():
            if v is None:
                out.pop(name, None)
            else:
                out[name] = v
    for k, v in event.items():
        if k[:1] == "\x00":
            continue
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def field_names(event: Event, knowledge: bool = True) -> set[str]:
    """The names of the event's non-null fields (without knowledge: as extracted)."""
    body = event.get(BODY)
    out: set[str] = set()
    if body is not None:
        json_leaves(body, "", lambda key, v: out.add(key))
        origin = event.get(ORIGIN) or {}
        if event.get(RAW) is not None:
            out.add("_raw")
        out.update(n for n in ("index", "sourcetype", "source", "host") if origin.get(n) is not None)
        if origin.get(DATES) and event.get("_time") is not None:
            out.update(DATE_FIELDS)
    k = _knowledge(event) if knowledge else None
    if k is not None:
        for name, v in k.compute_all(event).items():
            if v is None:
                out.discard(name)
            else:
                out.add(name)
    for k, v in event.items():
        if k[:1] == "\x00":
            continue
        if v is None:
            out.discard(k)
        else:
            out.add(k)
    return out


def set_field(event: Event, name: str, value: Value) -> None:
    """Write a field on an event that the caller already owns (a copy)."""
    if type(value) is list:
        if not value:
            value = None
        elif len(value) == 1:
            value = value[0]
    event[name] = value


def remove_field(event: Event, name: str) -> None:
    """Remove a field from an event the caller owns; a body field is hidden, not deleted."""
    if BODY in event:
        event[name] = None
    else:
        event.pop(name, None)


def copy_event(event: Event) -> Event:
    """A copy that a command may write to, whoever owns the event; the JSON body stays shared."""
    return dict(event)

