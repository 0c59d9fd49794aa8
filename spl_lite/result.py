"""Result: the rows a search returns, their columns in Splunk's order, and any warnings."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Iterator

from .errors import did_you_mean
from .runtime.values import BODY, Rounded, event_fields, output_value

Row = dict[str, Any]  # a field -> its value (a list for a multivalue field)


class Result:
    """Rows (a dict each), ``fields`` (column order), ``warnings``, ``kind`` (events or table)."""

    def __init__(self, fields: list[str], rows: list[Row], warnings: list[str], kind: str,
                 display: dict[tuple[int, str], str] | None = None):
        self.fields = fields
        self.rows = rows
        # (row, field) -> text where a value prints otherwise than its number: round(x,4)
        # keeps its decimals (0.8050) while the row holds the float.
        self.display = display or {}
        self.warnings = warnings
        self.kind = kind
        self.timings: list[tuple[str, float]] = []  # (command, seconds), from Query.run(timing=True)

    @classmethod
    def from_events(cls, events: list[Row], *, tabular: bool, warnings: list[str]) -> "Result":
        display: dict[tuple[int, str], str] = {}
        if tabular:
            columns: dict[str, None] = {}
            rows = []
            for i, ev in enumerate(events):
                full = event_fields(ev) if BODY in ev else ev
                columns.update(dict.fromkeys(full))
                rows.append(_row(i, full, display))
            fields = list(columns)
            return cls(fields, [{f: r.get(f) for f in fields} for r in rows], warnings, "table", display)
        rows = [_row(i, event_fields(ev), display) for i, ev in enumerate(events)]
        names: set[str] = set()
        for r in rows:
            names.update(r)
        # Splunk lists _time first, then the other fields by name; _raw last.
        fields = (["_time"] if "_time" in names else []) + sorted(
            n for n in names if not n.startswith("_")) + (["_raw"] if "_raw" in names else [])
        return cls(fields, [{f: r.get(f) for f in fields if f in r} for r in rows], warnings, "events", display)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dicts(self) -> list[Row]:
        return [dict(r) for r in self.rows]

    def to_table(self, max_rows: int | None = None) -> str:
        from .render import render_table
        return render_table(self, max_rows=max_rows)

    def __repr__(self) -> str:
        return self.to_table(max_rows=10)


def _row(i: int, fields: Row, display: dict[tuple[int, str], str]) -> Row:
    row = {}
    for k, v in fields.items():
        if type(v) is Rounded:
            display[(i, k)] = str(v)
        row[k] = output_value(v)
    return row


def field_warnings(commands: Iterable[Any], store: Any, rows: Iterable[Row] = ()) -> list[str]:
    """A warning for each field the query names that no event has, but one differing in case does.
    A field that the results hold exists: no event needs to be looked at for it."""
    read: set[str] = set()
    made: set[str] = set()
    for c in commands:
        read |= (c.fields_read() or frozenset()) - made
        made |= c.fields_written()
    candidates = {n for n in read - made if "*" not in n and not n.startswith("_")
                  and n not in ("index", "sourcetype", "source", "host", "earliest", "latest")}
    if candidates:
        for row in rows:
            candidates = {n for n in candidates if row.get(n) is None}
            if not candidates:
                break
    missing = sorted(n for n in candidates if store.may_differ_in_case(n) and not store.has_field(n))
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
