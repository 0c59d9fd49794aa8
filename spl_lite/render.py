"""Results as text: a table (tabulate), JSON, NDJSON or CSV."""
from __future__ import annotations

import csv
import io

import orjson
from tabulate import tabulate

from .runtime.timeutil import strftime
from .runtime.values import format_number

FORMATS = ("table", "json", "ndjson", "csv")


def _cell(value, field: str, time_format: str | None) -> str:
    if value is None:
        return ""
    if field == "_time" and time_format and isinstance(value, (int, float)):
        text = strftime(value, time_format)
        if text is not None:
            return text
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def _text(value, field, time_format, mv_sep="\n") -> str:
    if isinstance(value, list):
        return mv_sep.join(_cell(v, field, time_format) for v in value)
    return _cell(value, field, time_format)


def _shown(result, i: int, row: dict, field: str, time_format: str) -> str:
    text = result.display.get((i, field)) if result.display else None
    return text if text is not None else _text(row.get(field), field, time_format)


def render_table(result, max_rows: int | None = None) -> str:
    if not result.fields:
        return "(no results)"
    rows = result.rows if max_rows is None else result.rows[:max_rows]
    body = [[_shown(result, i, r, f, "%Y-%m-%d %H:%M:%S") for f in result.fields] for i, r in enumerate(rows)]
    text = tabulate(body, headers=result.fields, tablefmt="simple", disable_numparse=True)
    if max_rows is not None and len(result.rows) > max_rows:
        text += f"\n... {len(result.rows) - max_rows} more rows"
    return text


def render_json(result) -> str:
    return orjson.dumps(result.rows, option=orjson.OPT_INDENT_2).decode()


def render_ndjson(result) -> str:
    return "\n".join(orjson.dumps(r).decode() for r in result.rows)


def render_csv(result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(result.fields)
    for i, r in enumerate(result.rows):
        # A multivalue goes into one cell, its values joined by newlines, as Splunk exports it.
        w.writerow([_shown(result, i, r, f, "%Y-%m-%dT%H:%M:%S.%3N+00:00") for f in result.fields])
    return buf.getvalue().rstrip("\n")


def render(result, fmt: str) -> str:
    return {"table": render_table, "json": render_json, "ndjson": render_ndjson,
            "csv": render_csv}[fmt](result)


def render_many(results: list, fmt: str) -> str:
    """Several searches' results as one document, each naming its search (spl-lite run a.spl
    b.spl): a JSON array of {search, results}, NDJSON lines of {search, result}, or one CSV with
    a first column "search". A search that failed has null results (its error went to stderr)."""
    if fmt == "json":
        doc = [{"search": name, "results": None if r is None else r.rows} for name, r in results]
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode()
    if fmt == "ndjson":
        return "\n".join(orjson.dumps({"search": name, "result": row}).decode()
                         for name, r in results if r is not None for row in r.rows)
    fields: dict[str, None] = {}
    for _, r in results:
        if r is not None:
            fields.update(dict.fromkeys(r.fields))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["search", *fields])
    for name, r in results:
        for i, row in enumerate(r.rows if r is not None else ()):
            w.writerow([name, *(_shown(r, i, row, f, "%Y-%m-%dT%H:%M:%S.%3N+00:00") for f in fields)])
    return buf.getvalue().rstrip("\n")
