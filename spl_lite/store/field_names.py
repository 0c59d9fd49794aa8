"""Which fields the events have: known per load, from columns, a byte search of the events'
text, or a few parsed events, never a rescan per search. Functions given the store;
EventStore's methods of the same names call them."""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from .columns import STORE_METADATA, columnable
from .prefilter import find_any_case
from ..runtime.values import KNOWLEDGE, ORIGIN, field_getter, field_names

if TYPE_CHECKING:
    from .memory import EventStore

KNOWLEDGE_SAMPLE = 2_000
_FIELD_CHECKS = 1_000  # events parsed to find a field before its whole column is built


def has_field(store: EventStore, field: str) -> bool:
    """Whether any event has a value for the field (known once per load)."""
    known = store._has.get(field)
    if known is None:
        known = store._has[field] = _has_field(store, field)
    return known


def _has_field(store: EventStore, field: str) -> bool:
    if not columnable(field):
        return any(field_getter(field)(store.event(p)) is not None for p in range(store._n))
    col = store._columns.get(field) or store._raw_columns.get(field)
    if col is None and not defines(store, field):
        # Only events whose text holds the field's last key can have it: parse a few of
        # those rather than every event.
        key = _key_text(field)
        if key is not None:
            if not may_hold(store, field):
                return False
            get = field_getter(field)
            for checked, p in enumerate(_events_holding(store, key)):
                if get(store.event(p)) is not None:
                    return True
                if checked >= _FIELD_CHECKS:
                    break
            else:
                if not store._escapes:
                    return False
    col = store.column(field)
    return col is not None and bool((col.codes >= 0).any())


def _key_text(field: str) -> bytes | None:
    """Text that the field's last JSON key ends with (name", also the end of a key such as
    "a.name"), when it can only be written so."""
    last = field.rsplit(".", 1)[-1].replace("{}", "")
    if not last or not last.isascii() or any(c in last for c in '"\\') or not last.isprintable():
        return None
    return last.encode("ascii") + b'"'


def may_hold(store: EventStore, field: str) -> bool:
    """False when no event's text holds the field's last key (nor any \\u escape that could
    spell it): the field is then missing everywhere, known without parsing."""
    key = _key_text(field)
    if key is None:
        return True
    return holds_escapes(store, ) or holds_text(store, key)


def _events_holding(store: EventStore, text: bytes):
    """Store positions of events whose text holds the bytes, in the order found."""
    for buffer, starts, ends, pos in store.buffers_by_start():
        at = buffer.find(text)
        while at >= 0:
            i = int(np.searchsorted(starts, at, side="right")) - 1
            if i >= 0 and at < ends[i]:
                yield int(pos[i])
                at = buffer.find(text, int(ends[i]))
            else:
                at = buffer.find(text, at + 1)


def holds_text(store: EventStore, text: bytes, any_case: bool = False) -> bool:
    """Whether any event's text holds the bytes, or with ``any_case`` the lower-case bytes
    in any case (known once per load)."""
    key = ("text", text, any_case)
    if key not in store._has:
        store._has[key] = any(next(iter(find_any_case(store.text_of(b), text)), None) is not None if any_case
                             else text in store.text_of(b) for b in range(len(store._buffers)))
    return store._has[key]


def holds_escapes(store: EventStore) -> bool:
    """Whether any event's text holds a \\u escape (a key could be spelt with one)."""
    if store._escapes is None:
        store._escapes = any(store._escaped[b] if b in store._escaped else holds_escape(store.text_of(b))
                            for b in range(len(store._buffers)))
    return store._escapes


def may_differ_in_case(store: EventStore, field: str) -> bool:
    """False when no event can hold the field spelt in another case: the only fields a
    case warning is about. Only the add-on's fields are looked at (telling whether one of
    them has a value builds its column, a parse of every event when its inputs have none):
    no other of its names or the store's matches it, and no key in the text, in any case,
    ends as it does. Any other field: True (has_field finds most of those with a byte search)."""
    if not defines(store, field) or field in STORE_METADATA:
        return True
    lower = field.lower()
    if any(m != field and m.lower() == lower for m in _defined_names(store, )):
        return True
    key = _key_text(field)
    return key is None or holds_escapes(store, ) or holds_text(store, key.lower(), any_case=True)


def _defined_names(store: EventStore) -> set:
    return set(STORE_METADATA).union(*(o[KNOWLEDGE].fields for o in store._origins if o.get(KNOWLEDGE) is not None))


def defines(store: EventStore, field: str) -> bool:
    """Whether search-time knowledge (or the store's metadata) gives the field its value."""
    return field in STORE_METADATA or any(
        o.get(KNOWLEDGE) is not None and field in o[KNOWLEDGE].fields for o in store._origins)


def field_catalog(store: EventStore) -> dict[str, int]:
    """How many events have each field, most common first (computed once per load).

    The fields as extracted are counted over every event, so none is missed however rare.
    Fields that search-time knowledge works out (the add-on's) are counted over an even
    sample of at most KNOWLEDGE_SAMPLE events and scaled (catalog_is_estimated says so).
    """
    if store._catalog is None:
        store._ensure_sorted()
        counts: Counter = Counter()
        for p in range(store._n):
            counts.update(field_names(store.event(p), knowledge=False))
        step = max(1, -(-store._n // KNOWLEDGE_SAMPLE))
        derived: Counter = Counter()
        defined: set[str] = set()
        sample = range(0, store._n, step)
        for p in sample:
            ev = store.event(p)
            derived.update(field_names(ev))
            origin = ev.get(ORIGIN) or {}
            if origin.get(KNOWLEDGE) is not None:
                defined.update(origin[KNOWLEDGE].fields)
        scale = store._n / max(1, len(sample))
        for name in defined:
            if derived[name]:
                counts[name] = max(1, round(derived[name] * scale))
            else:
                counts.pop(name, None)  # the knowledge leaves it null
        store._catalog = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return store._catalog


def catalog_is_estimated(store: EventStore) -> bool:
    return store._n > KNOWLEDGE_SAMPLE


_ESCAPE = re.compile(rb"\\u")


def holds_escape(buffer: bytes) -> bool:
    """Whether JSON text holds a \\u escape (first a memchr for the backslash, which most
    logs never hold: ten times faster than looking for the pair)."""
    return buffer.find(b"\\") >= 0 and _ESCAPE.search(buffer) is not None  # an mmap has no fast "in"
