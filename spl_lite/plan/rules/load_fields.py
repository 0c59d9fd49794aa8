"""Load fields: the fields as extracted that a search run once reads (its terms', the rest of
the pipeline's, and the inputs of the add-on's fields among them). `spl-lite query` makes only
those into columns while loading; any other is made on first use."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...syntax.ast import named_fields
from .leading import leading_search


def load_fields(commands: Sequence, knowledge: Iterable) -> frozenset[str] | None:
    """None when the search may read any field."""
    first = leading_search(commands)
    if first is None or first.fields is None:
        return None
    named = named_fields(first.terms)
    if named is None:
        return None
    wanted = set(first.fields) | named
    defined: set[str] = set()
    inputs: set[str] = set()
    for k in knowledge:
        for name in wanted & set(k.fields):
            defined.add(name)
            inputs |= k.inputs(name) or set()
    # The add-on's fields are made from their inputs; one that reads itself (errorCode) is both.
    return frozenset((wanted - defined) | inputs)
