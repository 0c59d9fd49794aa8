"""Splunk's value rules written as SQL (sqlglot expressions): field values from an event's JSON,
numbers read from text, text written from numbers, search-term matching, sort keys.

Every value has a static type: "str" (text, as JSON extraction gives), "num" (a double),
"bool" (only inside where/if), "mv" (a list) or "null". Where Splunk's answer would depend on
a type known only at run time, the translator refuses instead of guessing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlglot import exp

from ..runtime.values.scalar import EXACT, NUMBER, SPACE, SPECIAL
from .dialects import portable

# The text eval reads as a number: the memory engine's own patterns (runtime.values.scalar).
NUMBER_PATTERN = f"{SPACE}{NUMBER}{SPACE}"


@dataclass(frozen=True)
class Value:
    sql: exp.Expr
    type: str  # str | num | bool | mv | null


NULL = Value(exp.Null(), "null")


def lit(value) -> Value:
    if isinstance(value, bool):
        return Value(exp.Boolean(this=value), "bool")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value != value or value in (math.inf, -math.inf):
            text = "NaN" if value != value else "Infinity" if value > 0 else "-Infinity"
            return Value(exp.cast(exp.Literal.string(text), "DOUBLE"), "num")
        if isinstance(value, float) or not -EXACT <= value <= EXACT:
            # A double everywhere (Spark reads 1.5 as a decimal); past 2**53 an integer is one too.
            return Value(exp.cast(exp.Literal.number(repr(float(value))), "DOUBLE"), "num")
        return Value(exp.Literal.number(value), "num")
    return Value(exp.Literal.string(value), "str")


def col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def fn(name: str, *args) -> exp.Expr:
    """A function call rendered as written (the executors register the spl_* ones)."""
    return exp.Anonymous(this=name, expressions=list(args))


def json_field(raw: exp.Expr, name: str) -> exp.Expr:
    """A field extracted from the event's JSON as Splunk's KV_MODE=json does: objects and
    arrays are no value, JSON null is the text "null", numbers as eval would print them."""
    return portable("json_field", raw, exp.Literal.string(name))


def as_number(v: Value, strict: bool = False) -> exp.Expr:
    """eval's reading of a value as a number: text that looks like one (the memory engine's
    patterns: ASCII digits, ASCII white space around unless ``strict``, as tonumber() wants),
    nan, inf and infinity as those doubles; else null."""
    if v.type == "num":
        return v.sql
    if v.type in ("null", "bool", "mv"):
        return exp.Null()
    space = "" if strict else SPACE
    # \z, not $: Java's $ also matches before a final line break ("12\n" is no number to tonumber).
    looks = exp.RegexpLike(this=v.sql.copy(), expression=exp.Literal.string(f"^{space}{NUMBER}{space}\\z"))
    special = exp.RegexpLike(this=v.sql.copy(), expression=exp.Literal.string(f"^{space}{SPECIAL}{space}\\z"))
    text = exp.Lower(this=v.sql.copy())
    # Past a double's range the text is an infinity, as Python and DuckDB read it (Spark: null).
    negative = exp.RegexpLike(this=v.sql.copy(), expression=exp.Literal.string(f"^{space}-"))
    overflow = exp.Case(ifs=[exp.If(this=negative, true=_double("-Infinity"))], default=_double("Infinity"))
    number = exp.cast(exp.RegexpExtract(this=v.sql.copy(), expression=exp.Literal.string(NUMBER),
                                        group=exp.Literal.number(0)), "DOUBLE")
    return exp.Case(ifs=[
        exp.If(this=looks, true=exp.Coalesce(this=number, expressions=[overflow])),
        exp.If(this=special, true=exp.Case(ifs=[
            exp.If(this=exp.Like(this=text, expression=exp.Literal.string("%nan%")), true=_double("NaN")),
            exp.If(this=exp.Like(this=text.copy(), expression=exp.Literal.string("%-%")), true=_double("-Infinity"))],
            default=_double("Infinity"))),
    ])


def _double(text: str) -> exp.Expr:
    return exp.cast(exp.Literal.string(text), "DOUBLE")


def is_nan(n: exp.Expr) -> exp.Expr:
    """Whether a double is NaN, never null."""
    return exp.Coalesce(this=exp.func("isnan", n), expressions=[exp.false()])


def number_text(n: exp.Expr) -> exp.Expr:
    """A double as Splunk prints it: whole numbers below 1e16 without a decimal point."""
    return portable("number_text", n)


def as_text(v: Value) -> exp.Expr:
    if v.type == "num":
        return number_text(v.sql)
    if v.type == "null":
        return exp.Null()
    if v.type == "bool":  # as Python writes them: tostring(1==1) is "True"
        return exp.Case(ifs=[exp.If(this=v.sql, true=exp.Literal.string("True")),
                             exp.If(this=exp.Not(this=v.sql.copy()), true=exp.Literal.string("False"))])
    return v.sql


def is_true(v: Value) -> exp.Expr:
    """Where and if() keep a row only when the condition is true: null and non-booleans are not."""
    if v.type != "bool":
        return exp.false()
    return exp.Coalesce(this=v.sql, expressions=[exp.false()])


def search_value_match(field: exp.Expr, pattern: str, dialect: str) -> exp.Expr | None:
    """field=value in a search: case-insensitive, * as a wildcard; None when the pattern needs
    rules SQL lacks here (non-ASCII case folding)."""
    if not pattern.isascii():
        return None
    from .expressions import text_case
    lowered = text_case("lower", field, dialect)  # "İstanbul" is not istanbul to Python's lower()
    if "*" not in pattern:
        return exp.EQ(this=lowered, expression=exp.Literal.string(pattern.lower()))
    escaped = pattern.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%")
    return exp.Escape(this=exp.Like(this=lowered, expression=exp.Literal.string(escaped)),
                      expression=exp.Literal.string("\\"))


def sort_key(v: Value, mode: str = "auto") -> exp.Expr:
    """Splunk's order (numbers, then IP addresses, then text by bytes) as one sortable text."""
    return portable(f"sort_key_{mode}", as_text(v))


def sql_limit(n: int) -> int:
    """A row count as every engine's LIMIT takes it: Spark's must be a 32-bit integer. More
    rows than that are never held (dataset_rows is far below it), so the cap changes nothing."""
    return min(n, 2 ** 31 - 1)
