"""Result: the rows a search returns, their columns in Splunk's order, and any warnings."""
from __future__ import annotations

import dataclasses
from typing import Iterator

from .errors import did_you_mean
from .runtime.values import BODY, event_fields, output_value
from .syntax import ast


class Result:
    """Rows (a dict each), ``fields`` (column order), ``warnings``, ``kind`` (events or table)."""

    def __init__(self, fields: list[str], rows: list[dict], warnings: list[str], kind: str):
        self.fields = fields
        self.rows = rows
        self.warnings = warnings
        self.kind = kind

    @classmethod
    def from_events(cls, events: list[dict], *, tabular: bool, warnings: list[str]) -> "Result":
        if tabular:
            columns: dict[str, None] = {}
            rows = []
            for ev in events:
                full = event_fields(ev) if BODY in ev else ev
                columns.update(dict.fromkeys(full))
                rows.append({k: output_value(v) for k, v in full.items()})
            fields = list(columns)
            return cls(fields, [{f: r.get(f) for f in fields} for r in rows], warnings, "table")
        rows = [{k: output_value(v) for k, v in event_fields(ev).items()} for ev in events]
        names: set[str] = set()
        for r in rows:
            names.update(r)
        # Splunk lists _time first, then the other fields by name; _raw last.
        fields = (["_time"] if "_time" in names else []) + sorted(
            n for n in names if not n.startswith("_")) + (["_raw"] if "_raw" in names else [])
        return cls(fields, [{f: r.get(f) for f in fields if f in r} for r in rows], warnings, "events")

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dicts(self) -> list[dict]:
        return [dict(r) for r in self.rows]

    def to_table(self, max_rows: int | None = None) -> str:
        from .render import render_table
        return render_table(self, max_rows=max_rows)

    def __repr__(self) -> str:
        return self.to_table(max_rows=10)


def referenced_fields(commands) -> tuple[set[str], set[str]]:
    """(fields the query reads, fields it creates) from the commands' syntax trees."""
    read: set[str] = set()
    made: set[str] = set()

    def walk(node):
        if isinstance(node, ast.FieldRef):
            read.add(node.name)
        elif isinstance(node, (ast.FieldMatch, ast.FieldIn)):
            read.add(node.field)
        elif isinstance(node, ast.Assignment):
            made.add(node.target)
        elif isinstance(node, ast.StatsAgg):
            made.add(node.alias or node.text)
        if dataclasses.is_dataclass(node):
            for f in dataclasses.fields(node):
                walk(getattr(node, f.name))
        elif isinstance(node, (tuple, list)):
            for x in node:
                walk(x)

    for c in commands:
        walk(c)
        for attr in ("fields", "by"):
            for name in getattr(c, attr, ()) or ():
                if isinstance(name, str):
                    read.add(name)
        for attr in ("field",):
            v = getattr(c, attr, None)
            if isinstance(v, str) and v:
                read.add(v)
        if getattr(c, "name", "") == "rename":
            made.update(new for _, new in c.pairs)
        if getattr(c, "name", "") == "rex":
            from .functions.eval_conditional import regex
            if not c.sed:
                made.update(regex(c.pattern).groupindex)
        alias = getattr(c, "alias", None) or getattr(c, "output", None)
        if isinstance(alias, str):
            made.add(alias)
    return read, made


def field_warnings(commands, store, rows) -> list[str]:
    """A warning for each field the query names that no event has, but one differing in case does."""
    read, made = referenced_fields(commands)
    candidates = {n for n in read - made if "*" not in n and not n.startswith("_")
                  and n not in ("index", "sourcetype", "source", "host", "earliest", "latest")}
    missing = sorted(n for n in candidates if not store.has_field(n))
    if not missing:
        return []
    catalog = store.field_catalog()
    by_lower: dict[str, list[str]] = {}
    for name in catalog:
        by_lower.setdefault(name.lower(), []).append(name)
    out = []
    for n in missing:
        same = [m for m in by_lower.get(n.lower(), []) if m != n]
        if same:
            out.append(f"The field '{n}' does not exist in any event (field names are case-sensitive); "
                       f"{did_you_mean(n, same)}")
    return out
