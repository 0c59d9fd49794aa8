"""SplError: every error a query can raise, with the spot in the query it refers to."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A range of characters in the query text (0-based offsets, end exclusive)."""

    start: int
    end: int

    @staticmethod
    def of(meta_or_token: object) -> "Span | None":
        start = getattr(meta_or_token, "start_pos", None)
        end = getattr(meta_or_token, "end_pos", None)
        if start is None:
            return None
        return Span(start, end if end is not None and end > start else start + 1)


class SplError(Exception):
    """A query that cannot run, in Splunk's words: ``Error in 'stats' command: ...``.

    ``command`` is the command (or ``SearchParser``) the message is about, ``span`` the spot
    in ``query``, ``hint`` a "did you mean" or other help line.
    """

    def __init__(self, message: str, *, command: str | None = None, span: Span | None = None,
                 hint: str | None = None, query: str | None = None):
        super().__init__(message)
        self.message = message
        self.command = command
        self.span = span
        self.hint = hint
        self.query = query

    @property
    def headline(self) -> str:
        if self.command is None:
            return self.message
        if self.command == "SearchParser" or self.command.startswith("SearchOperator"):
            return f"Error in '{self.command}': {self.message}"
        return f"Error in '{self.command}' command: {self.message}"

    def with_query(self, query: str) -> "SplError":
        if self.query is None:
            self.query = query
        return self

    def __str__(self) -> str:
        lines = [self.headline]
        if self.query is not None and self.span is not None:
            lines.extend(caret_lines(self.query, self.span))
        if self.hint:
            lines.append(f"  help: {self.hint}")
        return "\n".join(lines)


def caret_lines(query: str, span: Span) -> list[str]:
    """The query line holding the span, and a line of carets under it."""
    start = max(0, min(span.start, len(query)))
    line_start = query.rfind("\n", 0, start) + 1
    line_end = query.find("\n", start)
    if line_end < 0:
        line_end = len(query)
    # Bytes that were not UTF-8 (kept as surrogates) show as U+FFFD, so the message can print.
    line = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in query[line_start:line_end])
    col = start - line_start
    width = max(1, min(span.end, line_end) - start)
    if len(line) > CARET_WINDOW:
        # A long line (a generated search, a pasted list) is shown around the spot only.
        width = min(width, CARET_WINDOW // 2)
        left = max(0, col - CARET_WINDOW // 3)
        right = min(len(line), left + CARET_WINDOW)
        left = max(0, min(left, right - CARET_WINDOW))
        prefix, suffix = ("..." if left else ""), ("..." if right < len(line) else "")
        line = prefix + line[left:right] + suffix
        col = col - left + len(prefix)
        width = min(width, max(1, right - left - (col - len(prefix))))
    return ["  " + line, "  " + " " * col + "^" * width]


CARET_WINDOW = 120


def internal_error(exc: BaseException) -> str:
    """One line for an error that is spl_lite's fault, not the user's."""
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return (f"Internal error: {type(exc).__name__}{': ' + text if text else ''}. This is a bug in spl_lite; "
            "please report it with the search and data that caused it (--debug shows the traceback).")


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The closest candidate to a misspelled word, as a hint sentence, or None."""
    cands = list(candidates)
    lower = {c.lower(): c for c in cands}
    if word.lower() in lower and lower[word.lower()] != word:
        return f"did you mean '{lower[word.lower()]}'?"
    close = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=cutoff)
    if close:
        return f"did you mean '{lower[close[0]]}'?"
    return None
