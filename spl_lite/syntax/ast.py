"""The syntax tree: search terms, eval expressions and the argument pieces of commands.

Command nodes themselves are the command classes in ``spl_lite.commands``; this module holds
what they are built from. Every node carries the Span of the query text it came from; spans do
not take part in equality, so tests compare structure only.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..errors import Span

def _span():
    return field(default=None, compare=False, repr=False)


# ------------------------------------------------------------------ search terms

@dataclass(frozen=True, slots=True)
class Keyword:
    """A free-text term (``error``, ``fail*``) or a quoted phrase, matched against _raw;
    ``CASE(x)`` matches with case, ``TERM(x)`` only between major breakers."""
    text: str
    quoted: bool = False
    span: Span | None = _span()
    case_sensitive: bool = False
    whole_term: bool = False


@dataclass(frozen=True, slots=True)
class FieldMatch:
    """``field<op>value`` in a search; ``op`` is one of = != < > <= >=."""
    field: str
    op: str
    value: str
    quoted: bool = False
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class FieldIn:
    """``field IN (v1, v2, ...)``: the same as field=v1 OR field=v2 ..."""
    field: str
    values: tuple[str, ...]
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Not:
    term: Any
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Or:
    terms: tuple
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class And:
    terms: tuple
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Subsearch:
    pipeline: Any
    span: Span | None = _span()


# ------------------------------------------------------------------ eval expressions

@dataclass(frozen=True, slots=True)
class Literal:
    value: Any
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class FieldRef:
    name: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class UnaryOp:
    op: str  # "-" or "NOT"
    operand: Any
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class BinaryOp:
    op: str  # + - . * / % < > <= >= = == != LIKE AND OR XOR
    left: Any
    right: Any
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class InList:
    operand: Any
    items: tuple
    span: Span | None = _span()


def field_refs(node) -> set[str]:
    """The names of the fields an eval expression reads."""
    out: set[str] = set()
    todo = [node]
    while todo:  # a loop, not recursion: chains of thousands of terms are fine
        n = todo.pop()
        if isinstance(n, FieldRef):
            out.add(n.name)
        elif isinstance(n, BinaryOp):
            todo += (n.left, n.right)
        elif isinstance(n, UnaryOp):
            todo.append(n.operand)
        elif isinstance(n, Call):
            todo.extend(n.args)
        elif isinstance(n, InList):
            todo.append(n.operand)
            todo.extend(n.items)
    return out


def nesting(root):
    """(depth, span, subsearch depth, span): how deeply the search nests, and where.

    Chains do not nest: the left side of a binary operator, the terms of an OR and a run of NOTs
    stay at their parent's depth, since the compiler folds them in a loop.
    """
    deepest = (0, None, 0, None)
    todo = [(root, 0, 0, None)]
    while todo:
        node, depth, subs, parent = todo.pop()
        if isinstance(node, (tuple, list)):
            todo.extend((n, depth, subs, parent) for n in node)
            continue
        fields = getattr(node, "__dataclass_fields__", None)
        if fields is None:
            continue
        span = getattr(node, "span", None)
        if isinstance(node, Subsearch):
            subs += 1
        chained = isinstance(parent, BinaryOp) and parent.left is node or \
            isinstance(node, UnaryOp) and isinstance(parent, UnaryOp) and node.op == parent.op or \
            isinstance(node, Not) and isinstance(parent, Not)
        depth += 0 if chained else 1
        if depth > deepest[0]:
            deepest = (depth, span or deepest[1], deepest[2], deepest[3])
        if subs > deepest[2]:
            deepest = (deepest[0], deepest[1], subs, span)
        for name in fields:
            if name != "span":
                child = getattr(node, name)
                if isinstance(child, (tuple, list)) or hasattr(child, "__dataclass_fields__"):
                    todo.append((child, depth, subs, node))
    return deepest


# ------------------------------------------------------------------ command argument pieces

@dataclass(frozen=True, slots=True)
class Word:
    """A bare argument word: a field name, a number, a keyword such as ``desc``."""
    text: str
    quoted: bool = False
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Option:
    """``name=value`` in a command's arguments."""
    name: str
    value: str
    span: Span | None = _span()
    value_span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class FieldSubsearch:
    """``field=[subsearch]``: the subsearch's text stands where the value is written."""
    field: str
    op: str
    subsearch: Any
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class TxnFilter:
    """transaction's startswith= or endswith=: search terms, quoted or in parentheses, or eval(...)."""
    which: str
    text: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Template:
    """A bracketed search kept as text, filled in before it is parsed (foreach's subsearch)."""
    text: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class QuotedString:
    text: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class SortKey:
    field: str
    sign: str | None = None  # "+", "-" or None
    sticky: bool = False  # "- a, b": a sign followed by a space covers the following keys
    mode: str = "auto"  # auto, num, str, ip
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class StatsAgg:
    """``func(arg) AS alias``; ``arg`` is a field name, an expression for eval(...), or None."""
    func: str
    arg: Any = None
    alias: str | None = None
    text: str = ""  # the call as written, Splunk's default column name
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class SparklineArg:
    """``sparkline(count(user), 1h)``'s argument: the inner function, its field and the span."""
    func: str
    field: Any = None  # a Word, or None for count
    span_text: str | None = None


@dataclass(frozen=True, slots=True)
class ByClause:
    fields: tuple[Word, ...]
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class FromClause:
    """``FROM datamodel=<model>[.<dataset>]`` (or a bare namespace) in tstats."""
    target: object  # Option or Word
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class OverClause:
    field: Word
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class AsClause:
    name: Word
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class RenamePair:
    old: Word
    new: Word
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Assignment:
    target: str
    expr: Any
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class ConvertItem:
    func: str
    field: Word
    alias: Word | None = None
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Sign:
    text: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class ExprArg:
    """A parenthesised eval expression in a command's arguments (``head (x>1)``)."""
    expr: Any
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class LookupField:
    """A lookup column, and the event field it reads or writes (``col AS field``)."""
    column: str
    field: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class LookupOutput:
    fields: tuple[LookupField, ...]
    new_only: bool = False  # OUTPUTNEW: only where the fields are missing
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class CommandArgs:
    """What the grammar found for one command, before the command class interprets it."""
    name: str
    items: tuple
    span: Span
    name_span: Span


@dataclass(frozen=True)
class Pipeline:
    """A parsed query: the leading search terms (or None) and the commands after it."""
    leading: object
    commands: tuple
    starts_with_pipe: bool
    span: Span | None = field(default=None, compare=False, repr=False)


FIELD_ATTRIBUTES = ("field", "fields", "by", "input")
READS_EVERY_FIELD = ("searchmatch",)  # eval functions that look at the whole event


def collect_fields(root, names: set) -> bool:
    """Add the field names a syntax tree reads; False when it can read any field."""
    todo = [root]
    while todo:  # a loop, not recursion: a chain of thousands of terms is a deep tree
        node = todo.pop()
        if isinstance(node, FieldRef):
            names.add(node.name)
        elif isinstance(node, (FieldMatch, FieldIn)):
            names.add(node.field)
        elif isinstance(node, Keyword):
            names.add("_raw")
        elif isinstance(node, Word):
            names.add(node.text)
        elif isinstance(node, Call) and node.name in READS_EVERY_FIELD:
            return False
        elif isinstance(node, Subsearch):
            return False
        if isinstance(node, (tuple, list)):
            todo.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            for f in dataclasses.fields(node):
                value = getattr(node, f.name)
                if f.name in FIELD_ATTRIBUTES and isinstance(value, str):
                    names.add(value)
                elif f.name in FIELD_ATTRIBUTES and isinstance(value, tuple) and all(isinstance(v, str) for v in value):
                    names.update(value)
                else:
                    todo.append(value)
    return True


def walk(tree):
    """Every syntax node under ``tree`` (a node, or tuples and lists of them), in no set order."""
    todo = [tree]
    while todo:  # a loop, not recursion: a chain of thousands of terms is a deep tree
        node = todo.pop()
        if isinstance(node, (tuple, list)):
            todo.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            yield node
            todo.extend(getattr(node, f.name) for f in dataclasses.fields(node))


def named_fields(terms) -> set[str] | None:
    """The fields search terms name; None when one is a wildcard (it may name any)."""
    out: set[str] = set()
    for node in walk(terms):
        name = getattr(node, "field", None)
        if type(name) is str:
            if "*" in name:
                return None
            out.add(name)
    return out


def mentions_subsearch(tree) -> bool:
    """Whether a syntax tree (or commands) holds a subsearch, which reads events of its own."""
    return any(isinstance(node, Subsearch) for node in walk(tree))
