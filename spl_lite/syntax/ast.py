"""The syntax tree: search terms, eval expressions and the argument pieces of commands.

Command nodes themselves are the command classes in ``spl_lite.commands``; this module holds
what they are built from. Every node carries the Span of the query text it came from; spans do
not take part in equality, so tests compare structure only.
"""
from __future__ import annotations

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

    def walk(n):
        if isinstance(n, FieldRef):
            out.add(n.name)
        elif isinstance(n, BinaryOp):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, UnaryOp):
            walk(n.operand)
        elif isinstance(n, Call):
            for a in n.args:
                walk(a)
        elif isinstance(n, InList):
            walk(n.operand)
            for i in n.items:
                walk(i)
    walk(node)
    return out


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
class ByClause:
    fields: tuple[Word, ...]
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
