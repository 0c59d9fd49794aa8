"""Before parsing: drop ```comments``` and expand `macros`, as Splunk does, textually."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import limits
from ..errors import Span, SplError, did_you_mean

_COMMENT = re.compile(r"```.*?```", re.DOTALL)


@dataclass(frozen=True)
class Macro:
    name: str
    definition: str
    args: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.name}({len(self.args)})" if self.args else self.name


def strip_comments(text: str) -> str:
    """Triple-backtick comments become spaces, so positions in the query stay put."""
    return _COMMENT.sub(lambda m: " " * len(m.group()), text)


def _split_args(text: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    depth, quote = 0, False
    for i, c in enumerate(text):
        if c == '"' and (i == 0 or text[i - 1] != "\\"):
            quote = not quote
        elif not quote and c in "([":
            depth += 1
        elif not quote and c in ")]":
            depth -= 1
        elif not quote and depth == 0 and c == ",":
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(c)
    out.append("".join(cur).strip())
    return out


def expand(text: str, macros: dict, warnings: list | None = None, _depth: int = 0,
           _query: str | None = None, _size: list | None = None) -> str:
    """The query with every macro call replaced by its definition (recursively)."""
    query = text if _query is None else _query
    if "`" not in text:
        return text
    if _depth > limits.current().macro_depth:
        raise limits.exceeded("macro_depth", f"Macro expansion is nested deeper than "
                              f"{limits.current().macro_depth} levels (a macro that calls itself?)",
                              command="SearchParser")
    # Characters written so far by the whole expansion: macros that double at each level
    # would otherwise grow without bound.
    size = [len(text)] if _size is None else _size
    out, i, quote = [], 0, False
    while i < len(text):
        c = text[i]
        if c == "\\":  # escapes the next character, in a string ("C:\\") and outside one (\")
            out.append(text[i:i + 2])
            i += 2
            continue
        if c == '"':
            quote = not quote
        if c != "`" or quote:
            out.append(c)
            i += 1
            continue
        j = text.find("`", i + 1)
        if j < 0:
            raise SplError("Unbalanced backtick: a macro call is not closed.", command="SearchParser",
                           span=Span(i, i + 1), query=query)
        call = text[i + 1:j].strip()
        span = Span(i, j + 1) if _depth == 0 else None
        try:
            body = _expand_call(call, macros, warnings, _depth, query, span, size)
        except SplError as e:
            if e.span is None and span is not None:
                e.span = span  # a problem deep inside points at the call the user wrote
            raise
        size[0] += len(body)
        if size[0] > limits.current().macro_expansion_chars:
            raise limits.exceeded("macro_expansion_chars", "The search grows past "
                                  f"{limits.current().macro_expansion_chars:,} characters as its macros "
                                  "expand", command="SearchParser", span=span)
        if not body.strip():
            # "... | `x_filter`" with an empty macro: drop the pipe that led to it as well.
            while out and out[-1].isspace():
                out.pop()
            if out and out[-1] == "|":
                out.pop()
        out.append(" " + body + " ")
        i = j + 1
    return "".join(out)


def _expand_call(call: str, macros: dict, warnings, depth: int, query: str, span, size: list) -> str:
    m = re.match(r"([\w.:-]+)\s*(?:\((.*)\))?\s*\Z", call, re.DOTALL)
    if not m:
        raise SplError(f"Malformed macro call '`{call}`'.", command="SearchParser", span=span, query=query)
    name, argtext = m.group(1), m.group(2)
    args = _split_args(argtext) if argtext is not None and argtext.strip() else []
    key = f"{name}({len(args)})" if args else name
    macro = macros.get(key)
    if macro is None:
        if name.endswith("_filter") and not args:
            # Every published detection ends in a `..._filter` macro that is empty by default.
            if warnings is not None:
                warnings.append(f"Macro '{name}' is not defined; it was treated as empty.")
            return ""
        names = sorted({k.split("(")[0] for k in macros})
        raise SplError(f"The search specifies a macro '{name}' that cannot be found.",
                       command="SearchParser", span=span, query=query,
                       hint=did_you_mean(name, names))
    body = macro.definition
    named = {}
    for pos, a in enumerate(args):
        kv = re.match(r"(\w+)\s*=(.*)\Z", a, re.DOTALL)
        if kv and kv.group(1) in macro.args:
            named[kv.group(1)] = kv.group(2).strip()
        elif pos < len(macro.args):
            named[macro.args[pos]] = a
    for argname, value in named.items():
        body = body.replace(f"${argname}$", value)
    return expand(body, macros, warnings, depth + 1, query, size)
