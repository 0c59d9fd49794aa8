"""Regular expressions as Splunk writes them (PCRE), with a time limit on every match.

Every regex a user types goes through here: rex, regex, match(), replace(), mvfind(), rex
mode=sed, makemv tokenizer=, props EXTRACT-. The ``regex`` package reads PCRE's ``(?<name>…)``
natively and stops a match after a timeout, so a catastrophic pattern is an error, not a hang.
"""
from __future__ import annotations

import functools

import regex as _regex

from .. import limits
from ..errors import SplError

IGNORECASE = _regex.IGNORECASE

# PCRE spellings that the regex package writes differently.
_PCRE_HEX = _regex.compile(r"(\\\\)|\\x\{([0-9A-Fa-f]{1,8})\}")


def _from_pcre(pattern: str) -> str:
    return _PCRE_HEX.sub(lambda m: m.group(1) or f"\\U{int(m.group(2), 16):08x}", pattern)


class Regex:
    """A compiled pattern; its matches raise SplError when they take longer than the limit."""

    __slots__ = ("pattern", "rx", "command", "span")

    def __init__(self, pattern: str, rx, command: str | None, span):
        self.pattern, self.rx, self.command, self.span = pattern, rx, command, span

    @property
    def groupindex(self):
        return self.rx.groupindex

    @property
    def groups(self) -> int:
        return self.rx.groups

    def _timed(self, method, *args):
        try:
            return method(*args, timeout=limits.current().regex_seconds)
        except TimeoutError:
            raise limits.exceeded(
                "regex_seconds", f"The regular expression \"{_short(self.pattern)}\" took too long on one value",
                command=self.command, span=self.span) from None

    def search(self, text: str, pos: int = 0):
        return self._timed(self.rx.search, text, pos)

    def finditer(self, text: str):
        return self._timed(lambda t, timeout: list(self.rx.finditer(t, timeout=timeout)), text)

    def sub(self, replacement, text: str, count: int = 0):
        try:
            return self._timed(lambda t, timeout: self.rx.sub(replacement, t, count=count, timeout=timeout), text)
        except (_regex.error, IndexError) as e:
            raise SplError(f"Invalid replacement \"{replacement}\" for the regular expression "
                           f"\"{_short(self.pattern)}\": {e}.", command=self.command, span=self.span) from None


def _short(pattern: str) -> str:
    return pattern if len(pattern) <= 60 else pattern[:57] + "..."


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str, flags: int):
    return _regex.compile(_from_pcre(pattern), flags)


def compile_regex(pattern: str, flags: int = 0, *, command: str | None = None, span=None) -> Regex:
    """A Regex for a user's pattern; an invalid pattern is an SplError at the given spot."""
    try:
        rx = _compiled(pattern, flags)
    except (_regex.error, ValueError, OverflowError, RecursionError) as e:
        raise SplError(f"Invalid regular expression \"{_short(pattern)}\": {e}.", command=command,
                       span=span) from None
    return Regex(pattern, rx, command, span)


_GROUP_REFERENCE = _regex.compile(r"\\(\d+)|\\g<(\w+)>")


def check_replacement(rx: Regex, replacement: str, written: str | None = None) -> None:
    """Refuse a replacement that names a group the pattern lacks (\\9), before any event runs;
    ``written`` is the replacement as the user wrote it, for the message."""
    problem = _replacement_problem(rx.rx, replacement)
    if problem is not None:
        raise SplError(f"Invalid replacement \"{written or replacement}\" for the regular expression "
                       f"\"{_short(rx.pattern)}\": {problem}.", command=rx.command, span=rx.span)


@functools.lru_cache(maxsize=512)
def _replacement_problem(compiled, replacement: str) -> str | None:
    """What is wrong with a replacement for a compiled pattern, once per pair (replace() with a
    non-literal pattern asks for every event)."""
    try:
        compiled.sub(replacement, "")
    except (_regex.error, IndexError) as e:
        return str(e)
    for m in _GROUP_REFERENCE.finditer(replacement):
        group = m.group(1) or m.group(2)
        if group.isdigit() and int(group) > compiled.groups:
            return f"there is no group {group}"
        if not group.isdigit() and group not in compiled.groupindex:
            return f"there is no group named {group}"
    return None
