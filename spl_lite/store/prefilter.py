"""The text every event of a one-shot search must hold, looked for in a file's bytes before
any line is parsed: `spl-lite query` never parses or keeps the events that cannot match.

A term gives text only when Splunk's matching implies the event's JSON holds it: a free-text
term, or field=value on a field as extracted (not one that search-time knowledge works out,
which may hold text the event does not, such as the add-on's errorCode "success"), with a
value JSON writes as it is. Case does not matter, as in search.
"""
from __future__ import annotations

import dataclasses
import heapq
import re

from ..runtime.terms import TIME_MODIFIERS, wildcard_cidr
from ..runtime.values import METADATA, folded_bytes, holds_lowered
from ..syntax import ast

_AS_WRITTEN = re.compile(r"[A-Za-z0-9_.:/@+-]{3,}\Z")  # no character JSON would escape


def required_text(terms, defined: set[str]) -> list[bytes]:
    """Lower-cased texts that every matching event's text holds (ignoring case)."""
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


def candidate_lines(data: bytes, wanted: list[bytes]):
    """(start, end) of each line of NDJSON ``data`` that holds every wanted text, in order."""
    first, rest = max(wanted, key=len), [w for w in wanted if w is not max(wanted, key=len)]
    hits = find_any_case(data, first)
    last_start = -1
    for at in hits:
        start = data.rfind(b"\n", 0, at) + 1
        if start == last_start:
            continue
        last_start = start
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end
        if rest:
            line = data[start:end]
            if not all(holds_lowered(line, w) for w in rest):
                continue
        yield start, end


def find_any_case(data: bytes, text: bytes):
    """Offsets, ascending, where lower-case ASCII ``text`` occurs in ``data`` in any case, and
    where a character that lowers to one of its letters (the Kelvin sign for k) occurs: a
    caller tests those places whole."""
    hits = _plain_hits(data, text) if text.lower() == text.upper() else _hits_any_case(data, text)
    others = folded_bytes(text)
    return heapq.merge(hits, *(_plain_hits(data, b) for b in others)) if others else hits


def _hits_any_case(data: bytes, text: bytes, chunk: int = 16 << 20):
    """Where lower-case ``text`` occurs in ``data`` in any case: a lower-cased copy of one
    chunk at a time searched plainly (a case-blind regex is several times slower)."""
    for base in range(0, len(data), chunk):
        piece = data[base:base + chunk + len(text) - 1].lower()
        for at in _plain_hits(piece, text):
            if at < chunk:
                yield base + at


def _plain_hits(data: bytes, text: bytes):
    at = data.find(text)
    while at >= 0:
        yield at
        at = data.find(text, at + len(text))


def named_fields(terms) -> set[str] | None:
    """The fields search terms name; None when one is a wildcard (it may name any)."""
    out: set[str] = set()
    for node in _nodes(terms):
        name = getattr(node, "field", None)
        if type(name) is str:
            if "*" in name:
                return None
            out.add(name)
    return out


def mentions_subsearch(commands) -> bool:
    """Whether any command holds a subsearch (which reads the events the first one does not)."""
    return any(isinstance(node, ast.Subsearch) for node in _nodes(commands))


def _nodes(tree):
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (tuple, list)):
            todo.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            yield node
            todo.extend(getattr(node, f.name) for f in dataclasses.fields(node))
