"""Syntax highlighting from the parser's own lexer: what is coloured a command is what parses
as one. Lexing goes through the interactive parser, so each token is read in its context (a
search term, a command argument, an eval expression), exactly as the parser reads it."""
from __future__ import annotations

import re

from lark.exceptions import LarkError
from prompt_toolkit.lexers import Lexer

from ..syntax.parser import lark_parser

STYLE = {
    "command": "bold ansicyan", "function": "ansiyellow", "field": "ansigreen", "string": "ansimagenta",
    "number": "ansiblue", "operator": "bold", "keyword": "bold ansired", "comment": "italic ansibrightblack",
    "macro": "ansibrightcyan", "pipe": "bold ansicyan", "error": "bg:ansired ansiwhite",
}
OPERATORS = {"SEARCH_OP", "EQ_OP", "REL_OP", "ADD_OP", "MUL_OP", "EQUAL", "BANG", "MINUS", "SIGN", "REGEX_OP"}
KEYWORDS = {"_OR", "_NOT", "_IN", "_BY", "_AS", "_SORTBY", "_E_AND", "_E_OR", "_E_NOT", "_E_XOR", "_E_IN", "_E_LIKE"}


def _token_class(tok, next_tok) -> str | None:
    t = tok.type
    if t in ("VBAR", "PIPE_START"):
        return "pipe"
    if t == "COMMAND_NAME" or (t.isupper() and t.isalpha() and t.lower() == str(tok).lower()):
        return "command"  # the keyword terminals of commands are named after them
    if t in KEYWORDS:
        return "keyword"
    if t == "DQ_STRING":
        return "string"
    if t == "NUMBER":
        return "number"
    if t in OPERATORS:
        return "operator"
    if t == "EVAL_NAME":
        return "function" if next_tok is not None and next_tok.type == "LPAR" else "field"
    if t == "ARG_WORD" and next_tok is not None and next_tok.type == "LPAR":
        return "function"
    if t in ("SQ_FIELD", "ARG_WORD"):
        return "field"
    if t == "SEARCH_WORD":
        return "field" if next_tok is not None and next_tok.type in ("SEARCH_OP", "_IN") else None
    return None


def classify(text: str) -> list[tuple[int, int, str]]:
    """(start, end, class) spans for the text; after a syntax error the rest is marked."""
    spans: list[tuple[int, int, str]] = []
    masked = text
    for m in re.finditer(r"```.*?(```|\Z)", text, re.S):
        spans.append((m.start(), m.end(), "comment"))
        masked = masked[:m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
    for m in re.finditer(r"`[^`]*`?", masked):
        spans.append((m.start(), m.end(), "macro"))
        masked = masked[:m.start()] + "x" + " " * (m.end() - m.start() - 1) + masked[m.end():]
    tokens = []
    error_at = None
    try:
        for tok in lark_parser().parse_interactive(masked).iter_parse():
            tokens.append(tok)
    except LarkError as e:
        error_at = getattr(e, "pos_in_stream", None)
    for i, tok in enumerate(tokens):
        if tok.start_pos is None or tok.end_pos is None or masked[tok.start_pos:tok.end_pos] != str(tok):
            continue
        if any(s <= tok.start_pos < e for s, e, _ in spans):
            continue
        cls = _token_class(tok, tokens[i + 1] if i + 1 < len(tokens) else None)
        if cls:
            spans.append((tok.start_pos, tok.end_pos, cls))
    if error_at is not None and masked[error_at:].strip() and '"' not in masked[error_at:error_at + 1]:
        spans.append((error_at, error_at + 1, "error"))
    return sorted(spans)


class SplLexer(Lexer):
    """prompt_toolkit's view of classify(): style fragments line by line."""

    def lex_document(self, document):
        text = document.text
        spans = classify(text)
        styles = [""] * len(text)
        for start, end, cls in spans:
            for i in range(start, min(end, len(text))):
                styles[i] = STYLE[cls]
        lines, offset = [], 0
        for line in document.lines:
            fragments, current, buf = [], None, []
            for i, ch in enumerate(line):
                style = styles[offset + i] if offset + i < len(styles) else ""
                if style != current and buf:
                    fragments.append((current or "", "".join(buf)))
                    buf = []
                current = style
                buf.append(ch)
            if buf:
                fragments.append((current or "", "".join(buf)))
            lines.append(fragments)
            offset += len(line) + 1
        return lambda lineno: lines[lineno] if lineno < len(lines) else []
