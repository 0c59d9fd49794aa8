"""What differs between SQL engines, in one place. The translator writes the few operations
that engines spell differently as nodes of their own (``portable("json_field", ...)`` makes a
`Portable` subclass for json_field, as sqlglot keys what dialects differ on by node class);
rendering in a dialect expands each into that engine's own functions. Everything else is plain
sqlglot, which every dialect renders itself.

A dialect without an operation says so: ``supports()`` lets the translator refuse (with the
command's caret) before any work starts.
"""
from __future__ import annotations

import re
from typing import ClassVar

from sqlglot import exp

from . import rendered


class Portable(exp.Expression, exp.Func):
    """An operation engines spell differently; ``expand`` writes it in a dialect's functions.
    Each operation is a subclass of its own (``op`` names it in FUNCTIONS)."""

    arg_types = {"expressions": False}
    is_var_len_args = True
    op: ClassVar[str] = ""


_PORTABLE: dict[str, type[Portable]] = {}


def portable_node(name: str) -> type[Portable]:
    """The node class of a portable operation (made once per name)."""
    cls = _PORTABLE.get(name)
    if cls is None:
        title = "".join(part.title() for part in name.split("_"))
        cls = _PORTABLE[name] = type(f"Portable{title}", (Portable,), {"op": name, "__module__": __name__})
    return cls


def portable(name: str, *args: exp.Expr) -> exp.Expr:
    return portable_node(name)(expressions=list(args))


def _fn(name: str, *args) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _s(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def _in(value: exp.Expr, *texts: str) -> exp.Expr:
    return exp.In(this=value, expressions=[_s(t) for t in texts])


# ------------------------------------------------------------------ a field from the event's JSON
def _path_duckdb(name: str) -> str:
    return "$" + "".join('."' + part.replace('"', '\\"') + '"' for part in name.split("."))


def _bracket_path(name: str) -> str | None:
    parts = name.split(".")
    if any('"' in p or "\\" in p or not p for p in parts):
        return None
    return "$" + "".join(f"[\"{p}\"]" for p in parts)


def _by_path(json_field, raw, name):
    """A field read along its bracketed JSON path; None (the engine refuses it) for a name no
    path can spell, as Spark's does."""
    path = _bracket_path(name.name)
    return None if path is None else json_field(raw, path)


def _kv_json_duckdb(kind, text):
    """KV_MODE=json from a JSON value's type and text: objects and arrays are no value, JSON
    null is the text "null", a double as eval prints it, any other scalar as its text."""
    return exp.Case(ifs=[
        exp.If(this=_in(kind, "OBJECT", "ARRAY"), true=exp.Null()),
        exp.If(this=exp.EQ(this=kind.copy(), expression=_s("NULL")), true=_s("null")),
        exp.If(this=exp.EQ(this=kind.copy(), expression=_s("DOUBLE")),
               true=_number_text("duckdb", exp.cast(text.copy(), "DOUBLE"))),
    ], default=text)


def _json_field_duckdb(raw, name):
    path = _s(_path_duckdb(name.name))
    return _kv_json_duckdb(_fn("json_type", raw, path), exp.JSONExtractScalar(this=raw.copy(), expression=path.copy()))


def _json_value_duckdb(value):
    """The same rule for a value json_extract already took out (ingest takes all at once)."""
    return _kv_json_duckdb(_fn("json_type", value), exp.JSONExtractScalar(this=value.copy(), expression=_s("$")))


def _json_field_spark(raw, name):
    """The same rules over Spark's VARIANT: the type is read off schema_of_variant; a decimal
    with a fraction is a double to Splunk, a whole one (a big integer) keeps its digits. The
    repeated parse is one: Spark computes equal subexpressions once."""
    path = _bracket_path(name.name)
    if path is None:
        return None
    value = _fn("variant_get", _fn("try_parse_json", raw), _s(path))
    kind = _fn("schema_of_variant", value)
    fraction = exp.or_(exp.EQ(this=kind.copy(), expression=_s("DOUBLE")),
                       exp.and_(exp.Like(this=kind.copy(), expression=_s("DECIMAL%")),
                                exp.Not(this=exp.Like(this=kind.copy(), expression=_s("%,0)")))))
    return exp.Case(ifs=[
        exp.If(this=exp.or_(exp.Like(this=kind.copy(), expression=_s("OBJECT%")),
                            exp.Like(this=kind.copy(), expression=_s("ARRAY%"))), true=exp.Null()),
        exp.If(this=exp.EQ(this=kind.copy(), expression=_s("VOID")), true=_s("null")),
        exp.If(this=fraction, true=_number_text("spark", _fn("try_variant_get", value.copy(), _s("$"), _s("double")))),
    ], default=_fn("variant_get", value.copy(), _s("$"), _s("string")))


# ------------------------------------------------------------------ numbers as text
def _number_text(dialect: str, n: exp.Expr) -> exp.Expr:
    """A double as Splunk prints it: whole numbers below 1e16 without a decimal point, others as
    Python's repr (DuckDB's cast agrees; Spark's Java text does not, so Spark asks Python)."""
    if dialect in RENDERED:
        return rendered.number_text(dialect, n)
    whole = exp.and_(exp.EQ(this=n.copy(), expression=exp.Floor(this=n.copy())),
                     exp.LT(this=exp.Abs(this=n.copy()), expression=exp.Literal.number("1e16")))
    other = exp.cast(n.copy(), "VARCHAR") if dialect == "duckdb" else _fn("spl_number_text", n.copy())
    return exp.Case(ifs=[exp.If(this=whole, true=exp.cast(exp.cast(n.copy(), "BIGINT"), "VARCHAR"))], default=other)


def _to_json_spark(value):
    # Spark writes JSON only for arrays and structs: a one-item array, its brackets cut off.
    text = _fn("to_json", exp.Array(expressions=[value]))
    return exp.Substring(this=text, start=exp.Literal.number(2),
                         length=exp.Sub(this=exp.Length(this=text.copy()), expression=exp.Literal.number(2)))


# ------------------------------------------------------------------ lists
def _list_in_order_spark(value, order):
    # collect_list keeps no order: pairs (order, value) sorted, then the values.
    pairs = _fn("array_sort", _fn("collect_list", _fn("named_struct", _s("o"), order, _s("v"), value)))
    x = exp.to_identifier("x")
    return _fn("transform", pairs, exp.Lambda(this=exp.Dot(this=exp.column("x"), expression=exp.to_identifier("v")),
                                              expressions=[x]))


def _range(dialect: str, count):
    column = "range" if dialect == "duckdb" else "id"
    return exp.Subquery(this=exp.select(exp.alias_(exp.column(column), "i")).from_(_fn("range", count)))


def _percent_spark(n):
    # Python's "%.6f" rounds the double's exact value half to even; Java's rounds half up.
    rounded = _fn("bround", exp.cast(n, "DECIMAL(38, 20)"), exp.Literal.number(6))
    return _fn("format_string", _s("%.6f"), exp.cast(rounded, "DOUBLE"))


def _replace_spark(text, pattern, replacement):
    # Java writes groups $1 and a literal $ as \$; Spark has no "first match only".
    java = re.sub(r"\\(\d)|(\$)", lambda m: "$" + m.group(1) if m.group(1) else "\\$", replacement.name)
    return _fn("regexp_replace", text, pattern, _s(java))


# strftime directives as Spark's datetime pattern letters (C locale names, as Python's).
_JAVA_TIME = {"Y": "yyyy", "m": "MM", "d": "dd", "H": "HH", "M": "mm", "S": "ss", "y": "yy", "j": "DDD",
              "p": "a", "I": "hh", "b": "MMM", "B": "MMMM", "a": "EEE", "A": "EEEE"}


def _strftime_spark(n, fmt):
    pattern, text = [], []
    for literal, directive in re.findall(r"([^%]*)(%.|$)", fmt.name):
        text.append(literal)
        if directive == "%%":
            text.append("%")
        elif directive:
            if directive[1] not in _JAVA_TIME:
                return None  # %e (a space-padded day) has no pattern letter
            if text and "".join(text):
                pattern.append("'" + "".join(text).replace("'", "''") + "'")
            text = []
            pattern.append(_JAVA_TIME[directive[1]])
    if "".join(text):
        pattern.append("'" + "".join(text).replace("'", "''") + "'")
    return _fn("date_format", _fn("timestamp_seconds", n), _s("".join(pattern)))


def _range_trino(n):
    return rendered.fill("(SELECT i FROM UNNEST(SEQUENCE(0, __n - 1)) AS t(i))", "trino", n=n)


def _values_list(value):
    # Distinct values sorted as text, by bytes; DuckDB's list_distinct and Spark's collect_list
    # leave nulls out, Trino's array_agg keeps them.
    return exp.ArraySort(this=exp.ArrayDistinct(this=exp.ArrayAgg(this=value)))


def _values_list_trino(value):
    kept = exp.Filter(this=exp.ArrayAgg(this=value), expression=exp.Where(
        this=exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))))
    return exp.ArraySort(this=exp.ArrayDistinct(this=kept))


def _strftime_trino(n, fmt):
    """strftime directives as MySQL's, which Trino's date_format takes."""
    mysql = {"M": "%i", "S": "%s", "I": "%h", "B": "%M", "A": "%W"}
    text = re.sub(r"%(.)", lambda m: mysql.get(m.group(1), "%" + m.group(1)), fmt.name)
    return _fn("date_format", _fn("from_unixtime", n, _s("UTC")), _s(text))


def _udf_sort_key(mode):
    return lambda t: _fn(f"spl_sort_key_{mode}", t)


def _native_sort_key(dialect, mode):
    return lambda t: rendered.sort_key(dialect, mode, t)


MODES = ("auto", "num", "str", "ip")
RENDERED = ("trino", "databricks")  # SQL printed for users, without spl_lite's Python functions

# What Spark SQL (run here) and Databricks (printed) write alike.
SPARK_SQL = {
    # split takes a regex in Spark; -1 keeps trailing empty pieces as Splunk does.
    "split": lambda t, sep: _fn("split", t, _s(re.escape(sep.name)), exp.Literal.number(-1)),
    "mv_at": lambda v, i: _fn("element_at", v, i),
    "range": lambda n: _range("spark", n),
    "percent": _percent_spark,
    "slice": lambda v, a, b: _fn("slice", v, a, b),
    "regexp_replace": _replace_spark,
    "strftime": _strftime_spark,
    "values_list": _values_list,
}

FUNCTIONS = {
    "duckdb": {
        "json_field": _json_field_duckdb,
        "json_value": _json_value_duckdb,
        "number_text": lambda n: _number_text("duckdb", n),
        "to_json": lambda v: _fn("to_json", v),
        "list_in_order": lambda v, o: exp.ArrayAgg(this=exp.Order(this=v, expressions=[exp.Ordered(this=o)])),
        "range": lambda n: _range("duckdb", n),
        "percent": lambda n: _fn("printf", _s("%.6f"), n),
        "slice": lambda v, a, b: _fn("list_slice", v, a, b),
        "regexp_replace": lambda t, p, r: _fn("regexp_replace", t, p, r, _s("g")),
        "regexp_replace_first": lambda t, p, r: _fn("regexp_replace", t, p, r),
        "strftime": lambda n, f: _fn("strftime", _fn("to_timestamp", n), f),
        "values_list": _values_list,
        "split": lambda t, sep: _fn("string_split", t, sep),
        "mv_at": lambda v, i: _fn("list_extract", v, i),
        **{f"sort_key_{m}": _udf_sort_key(m) for m in MODES},
    },
    "spark": {
        **SPARK_SQL,
        "json_field": _json_field_spark,
        "number_text": lambda n: _number_text("spark", n),
        "to_json": _to_json_spark,
        "list_in_order": _list_in_order_spark,
        **{f"sort_key_{m}": _udf_sort_key(m) for m in MODES},
    },
    "databricks": {
        **SPARK_SQL,
        "json_field": lambda raw, name: _by_path(rendered.json_field_databricks, raw, name),
        "number_text": lambda n: _number_text("databricks", n),
        **{f"sort_key_{m}": _native_sort_key("databricks", m) for m in MODES},
    },
    "trino": {
        "json_field": lambda raw, name: _by_path(rendered.json_field_trino, raw, name),
        "number_text": lambda n: _number_text("trino", n),
        "range": _range_trino,
        "percent": lambda n: _fn("format", _s("%.6f"), n),
        "slice": lambda v, a, b: _fn("slice", v, a, b),
        "regexp_replace": _replace_spark,
        "strftime": _strftime_trino,
        "values_list": _values_list_trino,
        "split": lambda t, sep: _fn("split", t, sep),
        "mv_at": lambda v, i: _fn("element_at", v, i),
        **{f"sort_key_{m}": _native_sort_key("trino", m) for m in MODES},
    },
}


class NotInDialect(Exception):
    """A portable operation the dialect lacks, met while rendering (the translator checks first)."""


def writes_path(dialect: str, name: str) -> bool:
    """Whether the dialect can name this field as a JSON path (Spark's and Trino's bracketed
    paths cannot hold a quote or a backslash)."""
    return dialect == "duckdb" or _bracket_path(name) is not None


def caseless(dialect: str) -> str:
    """The inline flag for case-insensitive matching of any letter (Java folds only ASCII
    without u; RE2 folds all with i alone)."""
    return "(?i)" if dialect == "duckdb" else "(?iu)"


def runs_python(dialect: str) -> bool:
    """Whether the engine calls spl_lite's Python functions (eval and stats functions)."""
    return dialect not in RENDERED


def supports(dialect: str, name: str) -> bool:
    return name in FUNCTIONS.get(dialect, {})


def expand(tree: exp.Expr, dialect: str) -> exp.Expr:
    """The tree with every portable call written in the dialect's own functions."""
    table = FUNCTIONS[dialect]

    def visit(node):
        if isinstance(node, Portable):
            args = [expand(a, dialect) for a in node.expressions]
            build = table.get(node.op)
            built = build(*args) if build is not None else None
            if built is None:
                raise NotInDialect(node.op)
            return built
        return node
    return tree.transform(visit)


def render(tree: exp.Expr, dialect: str, pretty: bool = False) -> str:
    return expand(tree, dialect).sql(dialect=dialect, pretty=pretty)
