"""CloudTrail's S3 layout: AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz.

The path says which account, region and day a file holds, so a search with earliest/latest can
skip whole files without reading them, and a tree or zip of such files loads as one dump.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

LAYOUT = re.compile(r"AWSLogs/(?:o-[a-z0-9]+/)?(\d{12})/CloudTrail/([a-z0-9-]+)/(\d{4})/(\d{2})/(\d{2})/")
DAY = 86400
MARGIN = DAY  # CloudTrail delivers an event up to ~15 minutes late: a file's day is approximate


@dataclass(frozen=True)
class S3Location:
    account: str
    region: str
    day_start: float  # epoch of the file's UTC day


def location(name: str) -> S3Location | None:
    m = LAYOUT.search(name.replace("\\", "/"))
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups()[2:])
    try:
        start = datetime(year, month, day, tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None
    return S3Location(m.group(1), m.group(2), start)


def outside(loc: S3Location | None, earliest: float | None, latest: float | None) -> bool:
    """Whether no event of a file of that day can be in [earliest, latest)."""
    if loc is None:
        return False
    if earliest is not None and loc.day_start + DAY + MARGIN <= earliest:
        return True
    return latest is not None and loc.day_start - MARGIN >= latest
