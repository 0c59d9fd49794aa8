"""The in-memory event store: events newest first, scanned by search terms and time range.

Commands never touch the store directly; the leading search calls ``scan``, so an indexed or
columnar store can replace this one without changing any command.
"""
from __future__ import annotations

import bisect
from collections import Counter
from typing import Callable, Iterable, Iterator

from ..runtime.search_terms import TimeRange, is_match_all
from ..runtime.values import Event, event_fields


def _time_of(ev: Event) -> float:
    t = ev.get("_time")
    return t if t is not None else 0.0


class EventStore:
    def __init__(self):
        self._events: list[Event] = []
        self._sorted = True
        self._neg_times: list[float] = []  # -_time of each event, ascending, for bisect
        self._catalog: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._events)

    def add(self, events: Iterable[Event]) -> int:
        before = len(self._events)
        self._events.extend(events)
        self._sorted = False
        self._catalog = None
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

    def scan(self, terms, time_range: TimeRange, test: Callable[[Event], bool],
             fields: frozenset[str] | None = None) -> Iterator[Event]:
        """The events in the time range for which ``test`` holds, newest first.

        ``terms`` (the search-term tree) and ``fields`` (the fields the rest of the pipeline
        reads, None for all) are there for stores that can use them; this one filters with
        ``test`` alone.
        """
        self._ensure_sorted()
        lo, hi = 0, len(self._events)
        if time_range.latest is not None:
            lo = bisect.bisect_right(self._neg_times, -time_range.latest)
        if time_range.earliest is not None:
            hi = bisect.bisect_right(self._neg_times, -time_range.earliest)
        events = self._events if (lo, hi) == (0, len(self._events)) else self._events[lo:hi]
        if is_match_all(test):
            return iter(events)
        return filter(test, events)

    def field_catalog(self) -> dict[str, int]:
        """How many events have each field, most common first (computed once per load)."""
        if self._catalog is None:
            counts: Counter = Counter()
            for ev in self._events:
                counts.update(event_fields(ev).keys())
            self._catalog = dict(counts.most_common())
        return self._catalog
