"""$name$ tokens filled with values from data (map's search template), so that a value stays one
value whatever it holds.

Splunk pastes a token's value as text, so a value holding a quote, a pipe or a bracket rewrites
the search around it: a CloudTrail userAgent could run `| outputlookup`. Here the place of each
token decides how its value is written:
- inside a double-quoted string, the value is escaped (backslash and quote), so the string
  holds exactly the value;
- inside a single-quoted field name, likewise with the single quote; a value that a search term
  would split (spaces, pipes, brackets) cannot stand there and is an error;
- anywhere else, a number is pasted as it is, as Splunk does, so `eval n=$count$+1` stays
  arithmetic and `head $n$` a count; any other value becomes one quoted term (in an expression a
  bare word would be read as a field name, `a-b` as arithmetic).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import Span, SplError
from ..runtime.values.scalar import NUMBER

TOKEN = re.compile(r"\$([^$\s]+)\$")
_NUMBER = re.compile(f"{NUMBER}\\Z")  # the value rules' number (ASCII digits), pasted as it is
# What splits a search term or ends a single-quoted name in a search.
_SPLITS = re.compile(r"[\s|()\[\]\"=<>!,`]")
# A single quote opens a quoted field name where a term or an operand starts.
_SQ_OPENS_AFTER = set(" \t\r\n=(,+-*/<>!.[")


def _escaped(value: str, quote: str) -> str:
    return value.replace("\\", "\\\\").replace(quote, "\\" + quote)


def fill_tokens(template: str, value_of: Callable[[str], str], command: str = "map",
                span: Span | None = None) -> str:
    """``template`` with each $name$ replaced by ``value_of(name)``, written as the place of the
    token requires (see the module's docstring)."""
    out: list[str] = []
    quote = ""  # the quote character of the string being read, or "" outside one
    i = 0
    while i < len(template):
        c = template[i]
        if c == "\\" and quote:
            out.append(template[i:i + 2])
            i += 2
            continue
        if c == "$":
            m = TOKEN.match(template, i)
            if m:
                out.append(_place(value_of(m.group(1)), quote, m.group(0), command, span))
                i = m.end()
                continue
        if quote:
            if c == quote:
                quote = ""
        elif c == '"' or (c == "'" and (i == 0 or template[i - 1] in _SQ_OPENS_AFTER)):
            quote = c
        out.append(c)
        i += 1
    return "".join(out)


def _place(value: str, quote: str, token: str, command: str, span: Span | None) -> str:
    if quote == '"':
        return _escaped(value, '"')
    if quote == "'":
        if _SPLITS.search(value):
            raise SplError(f"The value of {token} ({value[:60]!r}) cannot stand inside single quotes: it would "
                           "split the search there.", command=command, span=span,
                           hint="put the token inside double quotes, where any value is one value")
        return _escaped(value, "'")
    if _NUMBER.match(value):
        return value
    return '"' + _escaped(value, '"') + '"'
