"""Parse SPL text into a Pipeline; turn Lark's errors into SplErrors that point at the spot."""
from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..errors import Span, SplError
from .parser_cache import cached_lark
from .transformer import ToAst

# What the grammar's terminals are called in messages.
TERMINAL_WORDS = {
    "ARG_WORD": "a field name", "EVAL_NAME": "a field or function name", "NUMBER": "a number",
    "DQ_STRING": "a quoted string", "SQ_FIELD": "a 'quoted' field name", "SEARCH_WORD": "a search term",
    "SEARCH_OP": "a comparison (=, !=, <, >)", "COMMAND_NAME": "a command name",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "VBAR": "'|'", "COMMA": "','",
    "EQUAL": "'='", "$END": "the end of the search", "_BY": "'by'", "_AS": "'as'", "_IN": "'IN'",
    "_NOT": "'NOT'", "_OR": "'OR'", "SIGN": "'+' or '-'", "EQ_OP": "'='", "REL_OP": "'<' or '>'",
    "ADD_OP": "an operator", "MUL_OP": "an operator", "SIGNED_VALUE": "a value",
    "MINUS": "'-'", "PLUS": "'+'", "BANG": "'!'", "STAR": "'*'", "SLASH": "'/'", "DOT": "'.'",
    "LESSTHAN": "'<'", "MORETHAN": "'>'", "PERCENT": "'%'", "REGEX_OP": "'=' or '!='",
    "OTHER_PUNCT": "",
}


def grammar_text() -> str:
    """The grammar, from the package when installed or from the checkout's grammar/ folder."""
    packaged = resources.files("spl_lite").joinpath("spl.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "grammar" / "spl.lark").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def lark_parser() -> Lark:
    return cached_lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                       maybe_placeholders=True)


def parse(text: str):
    """A Pipeline for the query text, or an SplError with the position of the problem."""
    if not text.strip():
        raise SplError("The search is empty.", command="SearchParser", span=Span(0, 1), query=text)
    text = _generating_subsearches(text)
    try:
        tree = lark_parser().parse(text)
    except UnexpectedInput as e:
        raise translate_error(e, text) from None
    pipeline = ToAst(text).transform(tree)
    check_nesting(pipeline, text)
    return pipeline


# Splunk lets a subsearch start with a generating command without its pipe ([ mstats ...],
# [ tstats ...]): the space after "[" becomes that pipe, so every position stays where it was.
_GENERATING_START = re.compile(r'"(?:\\.|[^"\\])*"|\[\s(?=(?:tstats|mstats|inputlookup|makeresults|metadata|rest|'
                               r'datamodel|from|multisearch)\b)', re.IGNORECASE)


def _generating_subsearches(text: str) -> str:
    if "[" not in text:
        return text
    return _GENERATING_START.sub(lambda m: m.group() if m.group().startswith('"') else "[|", text)


def check_nesting(pipeline, text: str) -> None:
    """Stop a search that nests deeper than the limits allow, before anything recurses over it."""
    from .. import limits
    from .ast import nesting
    depth, span, subsearches, sub_span = nesting(pipeline)
    if subsearches > limits.current().subsearch_depth:
        raise limits.exceeded("subsearch_depth", f"Subsearches are nested {subsearches} deep",
                              command="SearchParser", span=sub_span)
    if depth > limits.current().expression_depth:
        raise limits.exceeded("expression_depth", f"The search nests {depth} levels deep",
                              command="SearchParser", span=span)


def parse_expression(text: str):
    """An eval expression on its own (a calculated field's definition)."""
    prefix = "| makeresults | eval x="
    pipeline = parse(prefix + text)
    assignments = pipeline.commands[1].items
    if len(assignments) != 1:
        raise SplError("Expected one eval expression.", command="eval")
    return assignments[0].expr


def command_at(text: str, pos: int) -> str:
    """The name of the command whose arguments hold position ``pos`` (the leading search if none)."""
    depth, quote, last_pipe = 0, False, -1
    for i, c in enumerate(text[:pos]):
        if c == '"' and (i == 0 or text[i - 1] != "\\"):
            quote = not quote
        elif not quote and c == "|" and depth == 0:
            last_pipe = i
        elif not quote and c == "[":
            depth += 1
        elif not quote and c == "]":
            depth -= 1
    if last_pipe < 0:
        return "search"
    words = text[last_pipe + 1:].split()
    return words[0].lower() if words else "search"


def _expected_words(expected) -> str:
    names = sorted({TERMINAL_WORDS.get(t, _literal(t)) for t in expected if not t.startswith("__")})
    names = [n for n in names if n]
    if not names:
        return ""
    if len(names) > 6:
        return "Expected " + ", ".join(names[:5]) + ", ..."
    if len(names) == 1:
        return f"Expected {names[0]}."
    return "Expected " + ", ".join(names[:-1]) + " or " + names[-1] + "."


def _literal(term: str) -> str:
    if term.isupper() and len(term) <= 14:
        return f"'{term.lower()}'" if term.isalpha() else ""
    return ""


def _first_unopened(text: str) -> int:
    """Where the first ')' without its '(' stands."""
    depth = 0
    for i, c in enumerate(text):
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return i
    return max(0, text.rfind(")"))


def translate_error(e: UnexpectedInput, text: str) -> SplError:
    pos = getattr(e, "pos_in_stream", None)
    if isinstance(e, UnexpectedEOF) or pos is None:
        pos = len(text.rstrip())
    if isinstance(e, UnexpectedToken) and isinstance(e.token, Token) and e.token.type == "$END":
        pos = len(text.rstrip())
    command = command_at(text, pos)
    expected = getattr(e, "expected", None) or getattr(e, "allowed", None) or ()
    end = pos + 1
    found = ""
    if isinstance(e, UnexpectedToken) and e.token.type != "$END":
        end = pos + max(1, len(str(e.token)))
        found = f"Unexpected '{e.token}'. "
    elif isinstance(e, UnexpectedCharacters):
        ch = text[pos:pos + 1]
        if ch == '"':
            return SplError("Unbalanced quotes.", command="SearchParser", span=Span(pos, pos + 1), query=text)
        found = f"Unexpected '{ch}'. "
    else:
        found = "The search ends too early. "
    if text.count('"') % 2:
        q = text.rfind('"')
        return SplError("Unbalanced quotes.", command="SearchParser", span=Span(q, q + 1), query=text)
    if text.count("(") != text.count(")") and pos >= len(text.rstrip()):
        p = text.rfind("(") if text.count("(") > text.count(")") else _first_unopened(text)
        return SplError(f"Unbalanced parentheses. {_expected_words(expected)}".strip(),
                        command=command, span=Span(p, p + 1), query=text)
    if text.rstrip().endswith("|") and pos >= len(text.rstrip()):
        p = text.rstrip().rfind("|")
        return SplError("Missing a search command after '|'.", command="SearchParser",
                        span=Span(p, p + 1), query=text)
    message = (found + _expected_words(expected)).strip()
    return SplError(message, command=command, span=Span(pos, end), query=text)
