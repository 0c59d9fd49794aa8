"""What the store's scan and the search-term compiler share about search terms: the time
modifiers, the time range they set, CIDR values, and the test that takes every event."""
from __future__ import annotations

import re
from dataclasses import dataclass

TIME_MODIFIERS = ("earliest", "latest", "starttime", "endtime")
CIDR = re.compile(r"^[0-9a-fA-F:.]+/\d{1,3}$")


@dataclass
class TimeRange:
    earliest: float | None = None
    latest: float | None = None


def wildcard_cidr(value: str) -> bool:
    """Whether a search value is a CIDR block, which matches addresses, not text."""
    return bool(CIDR.match(value))


def always(ev) -> bool:
    """The compiled test of a bare * or of time modifiers only: every event."""
    return True


def matches_every_event(test) -> bool:
    """Whether a compiled test is known to take every event (a bare *, time modifiers)."""
    return test is always
