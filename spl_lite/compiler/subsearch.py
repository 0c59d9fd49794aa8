"""A subsearch's results as a search: the text or the terms `[ ... ]` stands for (Splunk's format),
and running one through the executor's services. Used where a subsearch stands inside search
terms, an expression or a command."""
from __future__ import annotations

import re

from .. import limits
from ..runtime.values import to_string, values_of
from ..syntax import ast


def _quote(value) -> str:
    text = to_string(value) or ""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _name(name: str) -> str:
    """A field name from data as a search term's field: quoted unless it is a plain name, so a
    key holding a space, a quote or a pipe stays one field."""
    return name if re.fullmatch(r"[\w.{}:@-]+", name) else _quote(name)


def format_rows(rows, *, row_prefix="(", col_prefix="(", col_sep="AND", col_end=")", row_sep="OR",
                row_end=")", mv_sep="OR", empty="NOT ( )") -> str:
    """Results as a search: ( ( a="1" AND b="2" ) OR ( ... ) ), fields by name, _fields left out."""
    parts = []
    for row in rows:
        cols = []
        for name in sorted(k for k in row if not k.startswith("_") and row[k] is not None):
            vals = values_of(row[name])
            if len(vals) == 1:
                cols.append(f"{_name(name)}={_quote(vals[0])}")
            else:
                cols.append("( " + f" {mv_sep} ".join(f"{_name(name)}={_quote(v)}" for v in vals) + " )")
        if cols:
            parts.append(f"{col_prefix} " + f" {col_sep} ".join(cols) + f" {col_end}")
    if not parts:
        return empty
    return f"{row_prefix} " + f" {row_sep} ".join(parts) + f" {row_end}"


def subsearch_text(rows) -> str:
    """The text a subsearch's results stand for: a `search` or `query` field as written, else the
    implicit format of every field."""
    texts = [to_string(r.get("search", r.get("query"))) or "" for r in rows
             if r.get("search") is not None or r.get("query") is not None]
    if texts:
        return " OR ".join(f"( {t} )" for t in texts) if len(texts) > 1 else texts[0]
    return format_rows(rows)


def subsearch_terms(rows):
    """The search terms a subsearch's results stand for: a `search` or `query` field pasted as
    written, else the implicit format of every field; no results match nothing."""
    from ..syntax.parser import parse
    texts = [to_string(r.get("search", r.get("query"))) for r in rows
             if r.get("search") is not None or r.get("query") is not None]
    if texts:
        text = " OR ".join(f"( {t} )" for t in texts) if len(texts) > 1 else texts[0]
        if not re.sub(r"[\s()]|NOT", "", text):
            return NOTHING
        return parse(text).leading
    terms = []
    for row in rows:
        cols = []
        for name in sorted(k for k in row if not k.startswith("_") and row[k] is not None):
            vals = values_of(row[name])
            matches = [ast.FieldMatch(name, "=", to_string(v), True) for v in vals]
            cols.append(matches[0] if len(matches) == 1 else ast.Or(tuple(matches)))
        if cols:
            terms.append(cols[0] if len(cols) == 1 else ast.And(tuple(cols)))
    if not terms:
        return NOTHING
    return terms[0] if len(terms) == 1 else ast.Or(tuple(terms))


NOTHING = ast.Not(ast.Keyword("*"))  # what `NOT ( )` means: no event matches


def run_subsearch(node: ast.Subsearch, env, maxout: int | None = None) -> list[dict]:
    """The subsearch's rows, cut at maxout ([subsearch] maxout unless given) and maxtime."""
    lim = limits.current()
    return env.services.run_subsearch(node.pipeline, env, maxout or lim.subsearch_maxout, lim.subsearch_maxtime)
