"""The optimizer: rules over the plan, one per file, as sqlglot's optimizer keeps them. Each says
what can be pushed into the scan of the stored events; none changes an answer, and each is tested
against the search run without it (tests/test_properties.py, test_prefilter.py,
test_search_term_paths.py). ``pushdown`` gathers what they give, for explain and the executors."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...runtime.context import SearchEnv
from .leading import leading_search
from .load_fields import load_fields
from .projection import fields_needed, project
from .required_text import required_text
from .time_range import time_range


@dataclass(frozen=True)
class Pushdown:
    """What the plan hands the scan: its terms, the fields the rest of the search reads, its time
    range, the text every matching event holds, and the fields worth parsing at load."""

    terms: object  # the leading search's terms (None: every event)
    fields: frozenset[str] | None  # None: every field
    earliest: float | None
    latest: float | None
    required_text: tuple[bytes, ...]
    load_fields: frozenset[str] | None  # None: every field


def pushdown(commands: Sequence, knowledge: Iterable, env: SearchEnv) -> Pushdown | None:
    """Every rule's answer for a plan; None when it does not start with a search of the stored
    events (a generating command such as makeresults)."""
    first = leading_search(commands)
    if first is None:
        return None
    knowledge = list(knowledge)
    earliest, latest = time_range(commands, env)
    return Pushdown(first.terms, first.fields, earliest, latest, tuple(required_text(commands, knowledge)),
                    load_fields(commands, knowledge))


__all__ = ["Pushdown", "fields_needed", "leading_search", "load_fields", "project", "pushdown",
           "required_text", "time_range"]
