"""Time range: the leading search's earliest=/latest= terms as epochs, for the scan and for
skipping the files of a CloudTrail S3 layout whose day lies outside them. Relative times
(earliest=-24h) are resolved against the env's now: the run's own when it runs."""
from __future__ import annotations

from collections.abc import Sequence

from ...compiler.search_terms import compile_search
from ...runtime.context import SearchEnv
from .leading import leading_search


def time_range(commands: Sequence, env: SearchEnv) -> tuple[float | None, float | None]:
    first = leading_search(commands)
    if first is None:
        return None, None
    _, found = compile_search(first.terms, env, leading=True)
    return found.earliest, found.latest
