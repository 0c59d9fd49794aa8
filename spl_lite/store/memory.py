"""The in-memory event store: events newest first, scanned by search terms and time range.

Commands never touch the store directly; the leading search asks it to ``scan`` with a
ScanRequest, so an indexed or columnar store can replace this one without changing any command.
This one decides metadata terms (index, sourcetype, source, host) once per file instead of once
per event, and answers field=value terms from per-field indexes built on first use.
"""
from __future__ import annotations

import bisect
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterator

from ..runtime.search_terms import TimeRange, value_matcher, wildcard_cidr
from ..runtime.values import KNOWLEDGE, ORIGIN, Event, field_getter, field_names, to_string, wildcard_regex
from ..syntax import ast

STORE_METADATA = ("index", "sourcetype", "source", "host")
KNOWLEDGE_SAMPLE = 2_000


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


def _time_of(ev: Event) -> float:
    t = ev.get("_time")
    return t if t is not None else 0.0


def conjuncts(terms) -> list:
    if terms is None:
        return []
    if isinstance(terms, ast.And):
        return list(terms.terms)
    return [terms]


def _plain_field(name: str) -> bool:
    return "*" not in name and name.lower() not in ("earliest", "latest", "starttime", "endtime")


def is_metadata_term(term) -> bool:
    if isinstance(term, ast.FieldMatch):
        return term.field in STORE_METADATA and term.op in ("=", "==", "!=")
    return isinstance(term, ast.FieldIn) and term.field in STORE_METADATA


def is_indexable(term) -> bool:
    if isinstance(term, ast.FieldMatch):
        if term.op == "!=":
            # Candidates: the events holding some other value (the full test then checks them).
            return _plain_field(term.field) and term.value != "*" and not wildcard_cidr(term.value)
        return term.op in ("=", "==") and _plain_field(term.field) and not wildcard_cidr(term.value)
    return isinstance(term, ast.FieldIn) and _plain_field(term.field) and \
        not any(wildcard_cidr(v) for v in term.values)


class EventStore:
    def __init__(self):
        self._events: list[Event] = []
        self._sorted = True
        self._neg_times: list[float] = []  # -_time of each event, ascending, for bisect
        self._catalog: dict[str, int] | None = None
        self._indexes: dict[str, dict[str, array]] = {}
        self._origins: list[dict] | None = None
        self._columns: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self._events)

    def add(self, events) -> int:
        before = len(self._events)
        self._events.extend(events)
        self._sorted = False
        self._catalog = None
        self._indexes = {}
        self._columns = {}
        self._origins = None
        return len(self._events) - before

    def _ensure_sorted(self) -> None:
        if not self._sorted:
            # The initial search returns events newest first; equal times keep load order.
            self._events.sort(key=_time_of, reverse=True)
            self._neg_times = [-_time_of(e) for e in self._events]
            self._sorted = True

    def events(self) -> list[Event]:
        self._ensure_sorted()
        return self._events

    # -------------------------------------------------------------- scanning
    def scan(self, request: ScanRequest) -> Iterator[Event]:
        """The events in the time range that match the terms, newest first."""
        self._ensure_sorted()
        events = self._events
        lo, hi = 0, len(events)
        tr = request.time_range
        if tr.latest is not None:
            lo = bisect.bisect_right(self._neg_times, -tr.latest)
        if tr.earliest is not None:
            hi = bisect.bisect_right(self._neg_times, -tr.earliest)
        terms = conjuncts(request.terms)
        allowed = self._allowed_origins([t for t in terms if is_metadata_term(t)], request.compile)
        rest = [t for t in terms if not is_metadata_term(t)]
        positions = self._candidates(self._index_terms(rest), lo, hi)
        test = request.compile(rest[0] if len(rest) == 1 else ast.And(tuple(rest))) if rest else None
        if positions is None:
            positions = range(lo, hi)
        if allowed is not None:
            positions = [p for p in positions if id(events[p].get(ORIGIN)) in allowed]
        if test is not None:
            positions = [p for p in positions if test(events[p])]
        if request.fields is None:
            return (events[p] for p in positions)
        return self._project(positions, request.fields)

    def _project(self, positions, fields: frozenset) -> Iterator[Event]:
        """Fresh events holding only the fields asked for.

        A scan that selects a large share of the events reads cached columns (built on first
        use); a selective one reads the few events directly.
        """
        events = self._events
        wide = len(positions) * 4 > len(events)
        columns = [(name, self._columns.get(name) or (self.column(name) if wide else None))
                   for name in sorted(fields)]
        getters = [(name, field_getter(name)) for name, col in columns if col is None]
        columns = [(name, col) for name, col in columns if col is not None]
        for p in positions:
            ev = {}
            for name, col in columns:
                v = col[p]
                if v is not None:
                    ev[name] = v
            if getters:
                stored = events[p]
                for name, get in getters:
                    v = get(stored)
                    if v is not None:
                        ev[name] = v
            yield ev

    def column(self, field: str) -> list:
        """The value of one field for every event, in store order, built on first use."""
        col = self._columns.get(field)
        if col is None:
            self._ensure_sorted()
            get = field_getter(field)
            col = self._columns[field] = [get(ev) for ev in self._events]
        return col

    def _allowed_origins(self, terms, compile) -> set[int] | None:
        """ids of the file origins that the metadata terms accept; None when all of them do."""
        if not terms:
            return None
        if self._origins is None:
            seen = {}
            for ev in self._events:
                o = ev.get(ORIGIN)
                seen.setdefault(id(o), o)
            self._origins = list(seen.values())
        test = compile(terms[0] if len(terms) == 1 else ast.And(tuple(terms)))
        ok = {id(o) for o in self._origins if o is not None and test(o)}
        return None if len(ok) == len(self._origins) else ok

    def _index_terms(self, terms) -> list:
        """The terms to answer from indexes: those already indexed, else one new index.

        Every term is still tested on the candidates, so one selective index is enough;
        building one per term would cost a pass over the events each.
        """
        indexable = [t for t in terms if is_indexable(t)]
        built = [t for t in indexable if t.field in self._indexes]
        if built or not indexable:
            return built
        # Top-level fields (eventName, errorCode) are the cheapest to index and usually selective.
        return [min(indexable, key=lambda t: ("." in t.field or "{" in t.field, indexable.index(t)))]

    def _candidates(self, terms, lo: int, hi: int) -> list[int] | None:
        """Positions (sorted) of the events whose indexed values can satisfy every term."""
        if not terms:
            return None
        postings = sorted((self._postings(t) for t in terms), key=len)
        n = len(self._events)
        chosen = [p for p in postings if len(p) < n * 0.9] or postings[:1]
        current = set(chosen[0])
        for p in chosen[1:]:
            current.intersection_update(p)
            if not current:
                break
        return sorted(p for p in current if lo <= p < hi)

    def _postings(self, term) -> array | set:
        index = self.index(term.field)
        values = term.values if isinstance(term, ast.FieldIn) else (term.value,)
        out: set[int] = set()
        if isinstance(term, ast.FieldMatch) and term.op == "!=":
            m = value_matcher(term.value)
            for key, posting in index.items():
                if not m(key):
                    out.update(posting)
            return out
        for value in values:
            if value == "*":
                for posting in index.values():
                    out.update(posting)
            elif "*" in value:
                rx = wildcard_regex(value, ignore_case=True)
                for key, posting in index.items():
                    if rx.match(key):
                        out.update(posting)
            elif value.isascii():
                out.update(index.get(value.lower(), ()))
            else:
                # Non-ASCII values compare case-folded, which lower-cased keys need not show.
                m = value_matcher(value)
                for key, posting in index.items():
                    if m(key):
                        out.update(posting)
        return out

    def index(self, field: str) -> dict[str, array]:
        """Lower-cased value -> positions of the events holding it, built on first use."""
        index = self._indexes.get(field)
        if index is None:
            self._ensure_sorted()
            get = field_getter(field)
            lists: dict[str, list[int]] = {}
            for pos, ev in enumerate(self._events):
                v = get(ev)
                if v is None:
                    continue
                for x in (set(v) if type(v) is list else (v,)):
                    key = (x if type(x) is str else to_string(x)).lower()
                    bucket = lists.get(key)
                    if bucket is None:
                        lists[key] = [pos]
                    else:
                        bucket.append(pos)
            index = self._indexes[field] = {k: array("i", v) for k, v in lists.items()}
        return index

    def has_field(self, field: str) -> bool:
        """Whether any event has a value for the field."""
        if field in self._indexes:
            return bool(self._indexes[field])
        if field in self._columns:
            return any(v is not None for v in self._columns[field])
        get = field_getter(field)
        return any(get(ev) is not None for ev in self._events)

    def field_catalog(self) -> dict[str, int]:
        """How many events have each field, most common first (computed once per load).

        The fields as extracted are counted over every event, so none is missed however rare.
        Fields that search-time knowledge works out (the add-on's) are counted over an even
        sample of at most KNOWLEDGE_SAMPLE events and scaled (catalog_is_estimated says so).
        """
        if self._catalog is None:
            self._ensure_sorted()
            counts: Counter = Counter()
            for ev in self._events:
                counts.update(field_names(ev, knowledge=False))
            step = max(1, -(-len(self._events) // KNOWLEDGE_SAMPLE))
            sample = self._events[::step]
            derived: Counter = Counter()
            defined: set[str] = set()
            for ev in sample:
                derived.update(field_names(ev))
                origin = ev.get(ORIGIN) or {}
                if origin.get(KNOWLEDGE) is not None:
                    defined.update(origin[KNOWLEDGE].fields)
            scale = len(self._events) / max(1, len(sample))
            for name in defined:
                if derived[name]:
                    counts[name] = max(1, round(derived[name] * scale))
                else:
                    counts.pop(name, None)  # the knowledge leaves it null
            self._catalog = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return self._catalog

    @property
    def catalog_is_estimated(self) -> bool:
        return len(self._events) > KNOWLEDGE_SAMPLE
