"""The text every event of a one-shot search must hold (the optimizer's rule,
plan/rules/required_text.py), looked for in a file's bytes before any line is parsed:
`spl-lite query` never parses or keeps the events that cannot match. Case does not matter,
as in search."""
from __future__ import annotations

import heapq

from ..runtime.values import folded_bytes, holds_lowered


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
