"""SQL for engines users run themselves: Trino (Athena, CloudTrail Lake) and Databricks. They
have none of spl_lite's Python functions, so Splunk's sort order and its number text are
written in SQL here. Each is a fixed template parsed by sqlglot, its placeholder columns
(``__x``) replaced by the argument's expression: SQL is never glued from user text.

Known difference, said in the README: an IPv6 address sorts as text here (IPv4 sorts as an
address, as in Splunk).
"""
from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp

IPV4_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = rf"^{IPV4_OCTET}(\.{IPV4_OCTET}){{3}}$"


@functools.lru_cache(maxsize=None)
def _template(sql: str, dialect: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read=dialect)


def fill(sql: str, dialect: str, **values) -> exp.Expr:
    """A template with each column __name replaced by values[name]."""
    def put(node):
        if isinstance(node, exp.Column) and not node.table and node.name.startswith("__"):
            return values[node.name[2:]].copy()
        return node
    return _template(sql, dialect).copy().transform(put)


def let(dialect: str, value: exp.Expr, name: str, template: str, **values) -> exp.Expr:
    """A template with __name bound to value once: neither engine has LET, but a lambda
    over a one-item array binds it, so the value is written (and computed) once."""
    var = exp.column(name)
    inner = fill(template, dialect, **{name: var}, **values)
    return exp.Anonymous(this="element_at", expressions=[
        exp.Anonymous(this="transform", expressions=[exp.Array(expressions=[value]),
                                                     exp.Lambda(this=inner, expressions=[exp.to_identifier(name)])]),
        exp.Literal.number(1)])


def _escaped(pattern: str, dialect: str) -> str:
    # Spark's string literals read backslashes as escapes; Trino's do not.
    return pattern.replace("\\", "\\\\") if dialect == "databricks" else pattern


def sort_key(dialect: str, mode: str, t: exp.Expr) -> exp.Expr:
    """Splunk's order as a row (kind, number, text): numbers first by value, then IPv4 addresses,
    then text by bytes, missing last (auto); num and ip put their kind first and text after."""
    from ..runtime.values.scalar import NUMBER
    from .values import NUMBER_PATTERN
    whole = _escaped("^" + NUMBER_PATTERN + "\\z", dialect)  # \z: Java's $ allows a final line break
    number = f"CASE WHEN REGEXP_LIKE(__t, '{whole}') " \
             f"THEN CAST(REGEXP_EXTRACT(__t, '{_escaped(NUMBER, dialect)}', 0) AS DOUBLE) END"
    parts = " + ".join(f"CAST(SPLIT_PART(__t, '.', {i}) AS BIGINT) * {256 ** (4 - i)}" for i in range(1, 5))
    ip = f"CASE WHEN REGEXP_LIKE(__t, '{_escaped(IPV4, dialect)}') THEN {parts} END"
    kinds = {"auto": f"WHEN {number} IS NOT NULL THEN 0 WHEN {ip} IS NOT NULL THEN 1",
             "num": f"WHEN {number} IS NOT NULL THEN 0", "ip": f"WHEN {ip} IS NOT NULL THEN 1", "str": ""}[mode]
    kind = f"CASE {kinds} WHEN __t IS NULL THEN 3 ELSE 2 END"
    value = {"auto": f"COALESCE({number}, CAST({ip} AS DOUBLE), 0)", "num": f"COALESCE({number}, 0)",
             "ip": f"COALESCE(CAST({ip} AS DOUBLE), 0)", "str": "0"}[mode]
    row = "ROW" if dialect == "trino" else "STRUCT"
    return let(dialect, t, "t", f"{row}({kind}, {value}, CASE WHEN {kind} = 2 THEN __t ELSE '' END)")


# Java prints a double as 1.2345E7 or 1.5E-4 where Python (and so Splunk's answer here) prints
# 12345678.5 or 0.00015; both give the shortest digits that read back the same.
_PYTHON_TEXT = """
CASE
  WHEN __j = 'NaN' THEN 'nan' WHEN __j = 'Infinity' THEN 'inf' WHEN __j = '-Infinity' THEN '-inf'
  WHEN NOT __j LIKE '%E%' THEN __j
  WHEN __e BETWEEN 0 AND 15 THEN (CASE WHEN __j LIKE '-%' THEN '-' ELSE '' END) || RPAD(SUBSTR(__d, 1, __e + 1), __e + 1, '0')
       || CASE WHEN LENGTH(__d) > __e + 1 THEN '.' || SUBSTR(__d, __e + 2) ELSE '' END
  WHEN __e BETWEEN -4 AND -1 THEN (CASE WHEN __j LIKE '-%' THEN '-' ELSE '' END) || '0.' || LPAD('', -__e - 1, '0') || __d
  ELSE (CASE WHEN __j LIKE '-%' THEN '-' ELSE '' END) || SUBSTR(__d, 1, 1) || CASE WHEN LENGTH(__d) > 1 THEN '.' || SUBSTR(__d, 2) ELSE '' END
       || 'e' || CASE WHEN __e < 0 THEN '-' ELSE '+' END || LPAD(CAST(ABS(__e) AS VARCHAR), 2, '0')
END
"""
_EXPONENT = "CAST(REGEXP_EXTRACT(__j, 'E(-?[0-9]+)$', 1) AS INTEGER)"
_DIGITS = "COALESCE(NULLIF(REGEXP_REPLACE(REPLACE(REGEXP_EXTRACT(__j, '^-?([0-9.]+)', 1), '.', ''), '0+$', ''), ''), '0')"


def number_text(dialect: str, n: exp.Expr) -> exp.Expr:
    """A double as Splunk prints it: whole numbers below 1e16 without a decimal point, others
    as Python's repr writes them, made from the engine's Java text (j), its exponent (e) and
    its digits without trailing zeros (d)."""
    java = "FORMAT('%s', __n)" if dialect == "trino" else "CAST(__n AS STRING)"
    j, e = exp.column("j"), exp.column("e")
    with_digits = let(dialect, fill(_DIGITS, dialect, j=j), "d", _PYTHON_TEXT, j=j, e=e)
    with_exponent = let(dialect, fill(_EXPONENT, dialect, j=j), "e", "__body", body=with_digits)
    text = let(dialect, fill(java, dialect, n=exp.column("n")), "j", "__body", body=with_exponent)
    return let(dialect, n, "n", "CASE WHEN __n = FLOOR(__n) AND ABS(__n) < 1e16 THEN "
               "CAST(CAST(__n AS BIGINT) AS VARCHAR) ELSE __text END", text=text)


def json_field_trino(raw: exp.Expr, path: str) -> exp.Expr:
    """KV_MODE=json over Trino's JSON type: objects and arrays no value, JSON null "null", a
    number with a fraction or exponent as a double, any other scalar as its text."""
    value = fill("JSON_EXTRACT(__r, __p)", "trino", r=raw, p=exp.Literal.string(path))
    return let("trino", value, "v", """
        CASE WHEN __v IS NULL THEN NULL
             WHEN JSON_FORMAT(__v) = 'null' THEN 'null'
             WHEN NOT IS_JSON_SCALAR(__v) THEN NULL
             WHEN JSON_FORMAT(__v) LIKE '"%' THEN CAST(__v AS VARCHAR)
             WHEN REGEXP_LIKE(JSON_FORMAT(__v), '[.eE]') THEN __num
             ELSE JSON_FORMAT(__v) END""", num=number_text("trino", fill("CAST(__v AS DOUBLE)", "trino",
                                                                          v=exp.column("v"))))


def json_field_databricks(raw: exp.Expr, path: str) -> exp.Expr:
    """KV_MODE=json over VARIANT (Spark 4, Databricks): the kind read off schema_of_variant; a
    decimal with a fraction is a double to Splunk, a whole one (a big integer) keeps its digits."""
    value = fill("VARIANT_GET(TRY_PARSE_JSON(__r), __p)", "databricks", r=raw, p=exp.Literal.string(path))
    v = exp.column("v")
    number = number_text("databricks", fill("TRY_VARIANT_GET(__v, '$', 'double')", "databricks", v=v))
    by_kind = let("databricks", fill("SCHEMA_OF_VARIANT(__v)", "databricks", v=v), "k", """
        CASE WHEN __k LIKE 'OBJECT%' OR __k LIKE 'ARRAY%' THEN NULL
             WHEN __k = 'VOID' THEN 'null'
             WHEN __k = 'DOUBLE' OR (__k LIKE 'DECIMAL%' AND NOT __k LIKE '%,0)') THEN __num
             ELSE VARIANT_GET(__v, '$', 'string') END""", v=v, num=number)
    return let("databricks", value, "v", "__body", body=by_kind)
