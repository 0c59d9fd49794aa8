"""Required text: what every event a search run once can return holds in its text, so that the
loader parses only the lines holding it (store/prefilter.py searches the bytes).

A term gives text only when Splunk's matching implies the event's JSON holds it: a free-text
term, or field=value on a field as extracted (not one that search-time knowledge works out,
which may hold text the event does not, such as the add-on's errorCode "success"), with a
value JSON writes as it is. Case does not matter, as in search. Nothing is required when the
search may read other events (a subsearch)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ...runtime.terms import TIME_MODIFIERS, wildcard_cidr
from ...runtime.values import METADATA
from ...syntax import ast
from ...syntax.ast import mentions_subsearch
from .leading import leading_search

_AS_WRITTEN = re.compile(r"[A-Za-z0-9_.:/@+-]{3,}\Z")  # no character JSON would escape


def required_text(commands: Sequence, knowledge: Iterable) -> list[bytes]:
    """Lower-cased texts that every matching event's text holds (ignoring case)."""
    first = leading_search(commands)
    if first is None or mentions_subsearch(commands):
        return []
    defined = set().union(*(k.fields for k in knowledge))
    return terms_text(first.terms, defined)


def terms_text(terms, defined: set[str]) -> list[bytes]:
    """The texts search terms require, given the fields knowledge defines."""
    out = []
    for t in (terms.terms if isinstance(terms, ast.And) else (terms,) if terms is not None else ()):
        piece = None
        if isinstance(t, ast.Keyword) and "*" not in t.text:
            piece = t.text
        elif isinstance(t, ast.FieldMatch) and t.op in ("=", "==") and "*" not in t.field + t.value \
                and t.field not in defined and t.field not in METADATA and not t.field.startswith("_") \
                and t.field.lower() not in TIME_MODIFIERS and not wildcard_cidr(t.value):
            piece = t.value
        if piece is not None and _AS_WRITTEN.match(piece):
            out.append(piece.lower().encode("ascii"))
    return out
