"""What may come at the cursor: a pure function of the text before it and the engine's catalog.

The first layer asks the grammar (Lark's interactive parser, the same one that parses searches)
which terminals may come next; the second turns those into words from the catalog: command
names, options, functions, fields ranked by how many events have them, a field's values,
macros, lookup files. Matching is fuzzy (the typed letters in order), as pgcli does it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lark.exceptions import LarkError

from ..catalog import Catalog
from ..syntax.parser import command_at, lark_parser

WORD = re.compile(r"[^\s|()\[\]\",=<>!`]*\Z")
STATS_LIKE = ("stats", "eventstats", "streamstats")
LOOKUP_COMMANDS = ("lookup", "inputlookup", "outputlookup")
KEYWORDS = {"_BY": "by", "_AS": "as", "_SORTBY": "sortby", "OUTPUT_KEYWORD": "OUTPUT", "_WHERE": "WHERE"}
SORT_FUNCTIONS = ("num(", "str(", "ip(", "auto(")
EVAL_KEYWORDS = ("AND", "OR", "NOT", "XOR", "LIKE", "IN")
VALUES_LOOKED_AT = 500  # a field's most common values that fuzzy matching picks from


@dataclass(frozen=True)
class Suggestion:
    """A completion: ``text`` replaces the last ``replace`` characters before the cursor."""
    text: str
    kind: str  # command, option, keyword, function, field, value, macro, lookup
    meta: str = ""
    replace: int = 0
    display: str = ""


def fuzzy_score(typed: str, candidate: str) -> tuple | None:
    """A sort key when the typed letters occur in order in the candidate (case-insensitive)."""
    if not typed:
        return (0, 0, 0)
    t, c = typed.lower(), candidate.lower()
    if c.startswith(t):
        return (0, 0, 0)
    pos, start, last = 0, -1, -1
    for ch in t:
        pos = c.find(ch, pos)
        if pos < 0:
            return None
        if start < 0:
            start = pos
        last = pos
        pos += 1
    return (1, last - start, start)


def _quote_eval_field(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else f"'{name}'"


def _tokens_and_accepts(text: str):
    """The tokens of ``text`` and the terminals that may follow; None when it does not parse."""
    ip = lark_parser().parse_interactive(text)
    tokens = []
    try:
        for tok in ip.iter_parse():
            tokens.append(tok)
    except LarkError:
        return None
    return tokens, ip.accepts()


def _mask(text: str) -> str:
    """Comments become spaces and complete macro calls a placeholder search term, so the text
    parses as far as it goes (macros expand only when the search runs)."""
    text = re.sub(r"```.*?```", lambda m: " " * len(m.group()), text, flags=re.S)
    return re.sub(r"`[^`]*`", lambda m: "x" + " " * (len(m.group()) - 1), text)


def suggest(text: str, catalog: Catalog, limit: int = 200) -> list[Suggestion]:
    """Suggestions for the cursor at the end of ``text``, best first."""
    if text.count("```") % 2:
        return []  # inside a comment
    masked = _mask(text)
    if masked.count("`") % 2:
        typed = text[text.rfind("`") + 1:]
        return _rank(typed, [Suggestion(f"{name.split('(')[0]}`", "macro", definition[:60], len(typed) + 0)
                             for name, definition in catalog.macros.items()], limit)
    found = WORD.search(masked)  # it matches at the end, if only the empty word
    typed = found.group() if found else ""
    before = masked[:len(masked) - len(typed)]
    if before.count('"') % 2:
        return []  # inside a quoted string
    parsed = _tokens_and_accepts(before)
    if parsed is None:
        return []
    tokens, accepts = parsed
    command = command_at(before, len(before)) if "|" in before else "search"
    out = _candidates(tokens, accepts, typed, command, catalog)
    return _rank(typed, out, limit)


def _rank(typed: str, items: list[Suggestion], limit: int) -> list[Suggestion]:
    scored = []
    for order, s in enumerate(items):
        key = fuzzy_score(typed.lstrip("'"), (s.display or s.text).lstrip("'"))
        if key is not None:
            scored.append((key, order, s))
    scored.sort(key=lambda x: (x[0], x[1]))
    seen, out = set(), []
    for *_, s in scored:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s)
    return out[:limit]


def _fields(catalog: Catalog, typed: str, quoted_for_eval: bool = False) -> list[Suggestion]:
    out = []
    # Internal fields (_raw, _time) after the others, which users group and filter by.
    for name, count in sorted(catalog.fields.items(), key=lambda kv: kv[0].startswith("_")):
        text = _quote_eval_field(name) if quoted_for_eval else name
        share = f"{100 * count / catalog.events:.0f}% of events" if catalog.events else ""
        out.append(Suggestion(text, "field", share, len(typed), display=name))
    return out


def _candidates(tokens, accepts, typed, command, catalog) -> list[Suggestion]:
    n = len(typed)
    last = tokens[-1] if tokens else None
    last_type = last.type if last is not None else None
    if "COMMAND_NAME" in accepts:  # only right after a pipe
        first = len(tokens) == 1  # "| ": a generating command may start the search; elsewhere not
        return [Suggestion(name, "command", info.summary, n) for name, info in sorted(catalog.commands.items())
                if name == info.name and (first or not info.first_only)]
    if command in LOOKUP_COMMANDS and last_type in ("COMMAND_NAME", "LOOKUP", "INPUTLOOKUP", "OUTPUTLOOKUP"):
        return [Suggestion(f, "lookup", "lookup file", n) for f in catalog.lookups]
    if "SEARCH_WORD" in accepts:
        return _search_candidates(tokens, accepts, typed, catalog)
    if "EVAL_NAME" in accepts or "SQ_FIELD" in accepts:
        funcs = [Suggestion(f"{name}(", "function", f"{info.usage}  {info.summary}", n, display=name)
                 for name, info in catalog.eval_functions.items()]
        if typed.startswith("'"):
            return _fields(catalog, typed, quoted_for_eval=True)
        keywords = [Suggestion(k, "keyword", "", n) for k in EVAL_KEYWORDS
                    if last_type not in (None, "LPAR", "COMMA", "EQUAL", "EQ_OP", "REL_OP", "ADD_OP", "MUL_OP")]
        return _fields(catalog, typed, quoted_for_eval=True) + funcs + keywords
    if "ARG_WORD" in accepts or "OPTION_NAME" in accepts:
        return _argument_candidates(tokens, accepts, typed, command, catalog)
    return [Suggestion(word, "keyword", "", n) for term, word in KEYWORDS.items() if term in accepts]


def _search_candidates(tokens, accepts, typed, catalog) -> list[Suggestion]:
    n = len(typed)
    last = tokens[-1] if tokens else None
    if last is not None and last.type == "SEARCH_OP" and len(tokens) >= 2:
        field = tokens[-2].strip('"')
        return [Suggestion(_search_value(v), "value", f"{c} events", n, display=v)
                for v, c in catalog.values(field, VALUES_LOOKED_AT)]
    out = _fields(catalog, typed)
    out += [Suggestion(k, "keyword", "", n) for k in ("NOT", "OR") if f"_{k}" in accepts and tokens]
    return out


def _search_value(value: str) -> str:
    return value if re.fullmatch(r"[^\s|()\[\]\",=<>!`]+", value) and value not in ("OR", "NOT", "AND", "IN") \
        else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _argument_candidates(tokens, accepts, typed, command, catalog) -> list[Suggestion]:
    n = len(typed)
    info = catalog.commands.get(command)
    last = tokens[-1] if tokens else None
    last_type = last.type if last is not None else None
    if last_type == "EQUAL" and len(tokens) >= 2 and info is not None and tokens[-2] in info.options:
        values = info.option_values.get(str(tokens[-2]), ())
        return [Suggestion(v, "value", f"{tokens[-2]}=", n) for v in values]
    keywords = [Suggestion(word, "keyword", "", n) for term, word in KEYWORDS.items() if term in accepts]
    if "OUTPUT_KEYWORD" in accepts:
        keywords.append(Suggestion("OUTPUTNEW", "keyword", "", n))
    options = [Suggestion(f"{o}=", "option", f"{command} option", n, display=o) for o in info.options] \
        if info is not None and last_type != "LPAR" else []
    if command in STATS_LIKE and last_type != "LPAR":
        # Before BY come the aggregates; after it, the fields to group by.
        if any(t.type == "_BY" for t in tokens[_command_start(tokens):]):
            return _fields(catalog, typed) + options
        funcs = [Suggestion(name if name in ("count", "c") else f"{name}(", "function",
                            f"{f.usage}  {f.summary}", n, display=name)
                 for name, f in catalog.stats_functions.items() if "<" not in name]
        return keywords + funcs + options
    out = _fields(catalog, typed) if "ARG_WORD" in accepts else []
    if command == "sort" and last_type != "LPAR":
        out = [Suggestion(f, "function", "sort as", n) for f in SORT_FUNCTIONS] + out
    return options + keywords + out


def _command_start(tokens) -> int:
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].type in ("VBAR", "PIPE_START"):
            return i
    return 0
