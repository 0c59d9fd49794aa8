"""Lark parse tree -> syntax tree. Lark types end here; nothing past this module sees them."""
from __future__ import annotations

import re

from lark import Token, v_args
from lark.visitors import Transformer_NonRecursive

from ..errors import Span
from . import ast

_ESCAPES = {'"': '"', "\\": "\\", "|": "|"}


def unquote(text: str) -> str:
    """A double-quoted SPL string's value: \\" \\\\ and \\| are escapes, others stay as written."""
    body = text[1:-1]
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] in _ESCAPES:
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def unquote_single(text: str) -> str:
    return text[1:-1].replace("\\'", "'")


def _span(x) -> Span | None:
    return Span.of(x)


_SORT_FUNCTION = re.compile(r"(auto|str|ip|num)\((.+)\)\Z", re.IGNORECASE)


def _word(tok: Token) -> ast.Word:
    if tok.type == "DQ_STRING":
        return ast.Word(unquote(tok), True, _span(tok))
    if tok.type == "QUOTED_PREFIX":
        end = tok.rfind('"') + 1
        return ast.Word(unquote(tok[:end]) + tok[end:], True, _span(tok))
    if tok.type == "SEARCH_WORD":
        return ast.Word(tok.replace('\\"', '"'), False, _span(tok))
    return ast.Word(str(tok), False, _span(tok))


def _sparkline_arg(inner, span_text):
    """The inner call of a sparkline, count(user) read as a name by field_name, taken apart."""
    if inner is None:
        return ast.SparklineArg("count", None, span_text)
    m = _INNER_CALL.match(inner.text)
    if m is None:
        return ast.SparklineArg(inner.text, None, span_text)
    field = m.group(2).strip()
    return ast.SparklineArg(m.group(1), ast.Word(field, False, inner.span) if field else None, span_text)


_INNER_CALL = re.compile(r"([^()]+)\((.*)\)\Z", re.S)


@v_args(meta=True)
class ToAst(Transformer_NonRecursive):  # a loop, not recursion: a long search cannot overflow the stack
    """Builds ast nodes; each ``*_command`` rule becomes a CommandArgs for its command class."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    # -------------------------------------------------------------- pipeline
    def start(self, meta, children):
        return children[0]

    def pipeline(self, meta, children):
        leading = None
        commands = []
        for c in children:
            if isinstance(c, Token):
                continue  # PIPE_START
            if isinstance(c, ast.CommandArgs):
                commands.append(c)
            elif c is not None:
                leading = c
        starts_with_pipe = bool(children) and isinstance(children[0], Token)
        span = Span.of(meta) if not meta.empty else Span(0, 0)
        return ast.Pipeline(leading, tuple(commands), starts_with_pipe, span)

    # -------------------------------------------------------------- search terms
    def search_expr(self, meta, children):
        terms = tuple(children)
        return terms[0] if len(terms) == 1 else ast.And(terms, Span.of(meta))

    def search_or(self, meta, children):
        return ast.Or(tuple(children), Span.of(meta))

    def search_negation(self, meta, children):
        return ast.Not(children[0], Span.of(meta))

    def search_field(self, meta, children):
        return _word(children[0])

    search_value = search_field

    def search_compare(self, meta, children):
        f, op, v = children
        if isinstance(v, ast.Subsearch):
            return ast.FieldSubsearch(f.text, str(op), v, Span.of(meta))
        return ast.FieldMatch(f.text, str(op), v.text, v.quoted, Span.of(meta))

    def expr_subsearch(self, meta, children):
        return children[0]

    def search_in(self, meta, children):
        f = children[0]
        values = tuple(v.text for v in children[1:] if v is not None)
        return ast.FieldIn(f.text, values, Span.of(meta))

    def search_word(self, meta, children):
        return ast.Keyword(children[0].replace('\\"', '"'), False, Span.of(meta))

    def search_directive(self, meta, children):
        text = str(children[0])
        kind, inner = text[:4].upper(), text[5:-1].strip()
        quoted = inner.startswith('"') and inner.endswith('"') and len(inner) > 1
        value = unquote(inner) if quoted else inner
        return ast.Keyword(value, quoted, Span.of(meta), case_sensitive=kind == "CASE", whole_term=kind == "TERM")

    def search_phrase(self, meta, children):
        return ast.Keyword(unquote(children[0]), True, Span.of(meta))

    def subsearch(self, meta, children):
        return ast.Subsearch(children[0], Span.of(meta))

    # -------------------------------------------------------------- eval expressions
    def _binary(self, op, meta, children):
        return ast.BinaryOp(op, children[0], children[-1], Span.of(meta))

    def xor_op(self, meta, children):
        return self._binary("XOR", meta, children)

    def or_op(self, meta, children):
        return self._binary("OR", meta, children)

    def and_op(self, meta, children):
        return self._binary("AND", meta, children)

    def like_op(self, meta, children):
        return self._binary("LIKE", meta, children)

    def binary_op(self, meta, children):
        left, op, right = children
        op = "=" if str(op) == "==" else str(op)
        return ast.BinaryOp(op, left, right, Span.of(meta))

    def not_op(self, meta, children):
        return ast.UnaryOp("NOT", children[-1], Span.of(meta))

    def negate(self, meta, children):
        return ast.UnaryOp("-", children[-1], Span.of(meta))

    def in_op(self, meta, children):
        return ast.InList(children[0], tuple(c for c in children[1:] if c is not None), Span.of(meta))

    def number(self, meta, children):
        text = str(children[0])
        try:
            value = int(text)
        except ValueError:
            value = float(text)
        return ast.Literal(value, Span.of(meta))

    def string(self, meta, children):
        return ast.Literal(unquote(children[0]), Span.of(meta))

    def quoted_field(self, meta, children):
        return ast.FieldRef(unquote_single(children[0]), Span.of(meta))

    def field(self, meta, children):
        return ast.FieldRef(str(children[0]), Span.of(meta))

    def call(self, meta, children):
        name = children[0]
        args = tuple(c for c in children[1:] if c is not None)
        # Splunk matches eval function names in any case: LIKE(...), CASE(...) in its own detections.
        return ast.Call(str(name).lower(), args, Span.of(name))

    # -------------------------------------------------------------- argument pieces
    def option(self, meta, children):
        name, value = children
        text = unquote(value) if value.type == "DQ_STRING" else str(value)
        return ast.Option(str(name), text, Span.of(meta), Span.of(value))

    def field_name(self, meta, children):
        return children[0] if isinstance(children[0], ast.Word) else _word(children[0])

    def paren_name(self, meta, children):
        return ast.Word(self.text[meta.start_pos:meta.end_pos], False, Span.of(meta))

    def field_list(self, meta, children):
        return children

    def by_clause(self, meta, children):
        return ast.ByClause(tuple(children[0]), Span.of(meta))

    def tstats_by(self, meta, children):
        fields = tuple(c for c in children if isinstance(c, ast.Word))
        return [ast.ByClause(fields, Span.of(meta))] + [c for c in children if isinstance(c, ast.Option)]

    def tstats_from(self, meta, children):
        return ast.FromClause(children[0], Span.of(meta))

    def key_comma(self, meta, children):
        return ast.Sign(",", Span.of(meta))  # sort needs to know: "x, d" sorts by d, "x d" is descending

    def over_clause(self, meta, children):
        return ast.OverClause(children[0], Span.of(meta))

    def as_clause(self, meta, children):
        return ast.AsClause(children[0], Span.of(meta))

    def rename_pair(self, meta, children):
        return ast.RenamePair(children[0], children[1], Span.of(meta))

    def eval_target(self, meta, children):
        tok = children[0]
        if tok.type == "DQ_STRING":
            return unquote(tok)
        if tok.type == "SQ_FIELD":
            return unquote_single(tok)
        return str(tok)

    def eval_assign(self, meta, children):
        return ast.Assignment(children[0], children[1], Span.of(meta))

    def stats_body(self, meta, children):
        out = []
        for c in children:
            if isinstance(c, list):
                out.extend(c)
            elif c is not None:
                out.append(c)
        return out

    def agg_arg(self, meta, children):
        return children[0]

    def agg_sparkline(self, meta, children):
        return _sparkline_arg(children[0], str(children[1]))

    def agg_eval(self, meta, children):
        return ast.ExprArg(children[0], Span.of(meta))

    def stats_agg(self, meta, children):
        func, arg, alias = children
        # Splunk names the column after the call as written: "dc(user)", "count(eval(x>1))".
        end = alias.span.start if alias is not None else meta.end_pos
        text = self.text[meta.start_pos:end].strip()
        if str(func).lower() == "sparkline" and not isinstance(arg, (ast.SparklineArg, ast.ExprArg)):
            arg = _sparkline_arg(arg, None)
        return ast.StatsAgg(str(func), arg, alias.name.text if alias else None, text, Span.of(meta))

    def sort_target(self, meta, children):
        word = children[0]
        m = _SORT_FUNCTION.match(word.text) if not word.quoted else None
        if m:  # num(x) lexes as one name; sort's own functions still apply
            return (m.group(1).lower(), ast.Word(m.group(2), False, word.span), word.span)
        return ("auto", word)

    def sort_key(self, meta, children):
        sign, target = children
        mode, word = target[0], target[1]
        sticky = sign is not None and word.span is not None and sign.end_pos < word.span.start
        if mode != "auto" and sign is not None:
            sticky = sign.end_pos < target[2].start
        return ast.SortKey(word.text, str(sign) if sign is not None else None, sticky, mode, Span.of(meta))

    def convert_item(self, meta, children):
        func, fld, alias = children
        return ast.ConvertItem(str(func), fld, alias.name if alias else None, Span.of(meta))

    def lookup_field(self, meta, children):
        col, alias = children
        return ast.LookupField(col.text, alias.name.text if alias else col.text, Span.of(meta))

    def lookup_output(self, meta, children):
        keyword, *fields = children
        return ast.LookupOutput(tuple(fields), str(keyword).lower() == "outputnew", Span.of(meta))

    def other_arg(self, meta, children):
        return children[0] if children else None

    def __default__(self, data, children, meta):
        if data.endswith("_command"):
            return self._command(data[:-len("_command")], meta, children)
        raise NotImplementedError(data)  # every rule has a method; this marks a grammar slip

    def _command(self, name, meta, children):
        items = []
        name_span = Span(meta.start_pos, meta.start_pos + len(name))
        for c in children:
            if c is None:
                continue
            if isinstance(c, list):
                items.extend(c)
            elif isinstance(c, Token):
                if c.type == "COMMAND_NAME":
                    name = str(c)
                    name_span = Span.of(c)
                elif c.type == "DQ_STRING":
                    items.append(ast.QuotedString(unquote(c), Span.of(c)))
                elif c.type in ("FOREACH_OPTION", "MAP_OPTION"):
                    key, _, value = str(c).partition("=")
                    start = c.start_pos + len(key) + 1
                    items.append(ast.Option(key, unquote(value) if value.startswith('"') else value, Span.of(c),
                                            Span(start, start + len(value))))
                elif c.type == "TXN_FILTER":
                    which, _, value = str(c).partition("=")
                    items.append(ast.TxnFilter(which.lower(), value, Span.of(c)))
                elif c.type == "APPENDPIPE_OPTION":
                    key, _, value = str(c).partition("=")
                    items.append(ast.Option(key, value, Span.of(c), Span.of(c)))
                elif c.type == "HEAD_CONDITION":
                    from .parser import parse_expression
                    items.append(ast.ExprArg(parse_expression(str(c)), Span.of(c)))
                elif c.type == "TEMPLATE":
                    items.append(ast.Template(str(c)[1:-1], Span.of(c)))
                elif c.type == "SIGN":
                    items.append(ast.Sign(str(c), Span.of(c)))
                elif c.type in ("ARG_WORD",):
                    items.append(ast.Word(str(c), False, Span.of(c)))
                else:
                    items.append(ast.Word(str(c), False, Span.of(c)))
            elif isinstance(c, (ast.Literal, ast.FieldRef, ast.Call, ast.BinaryOp, ast.UnaryOp, ast.InList)):
                items.append(ast.ExprArg(c, c.span))
            else:
                items.append(c)
        if name in ("bin", "bucket"):
            name = self.text[meta.start_pos:meta.start_pos + 6].split()[0].lower()
        return ast.CommandArgs(name, tuple(items), Span.of(meta), name_span)
