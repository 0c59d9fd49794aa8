"""CSV lookup tables: finding them (never outside the lookups directory), reading, matching, and
writing them atomically (write a temporary file, then rename), as Splunk's lookups behave."""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from . import limits
from .errors import SplError, did_you_mean
from .runtime.values import to_string, values_of, wildcard_regex

MAX_MATCHES = 100  # limits.conf [lookup] max_matches
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")


def lookup_path(directory: Path, name: str, *, command: str | None, span=None, must_exist: bool = True) -> Path:
    """The file for a lookup name; a name that could leave the directory is refused."""
    if not _SAFE_NAME.match(name) or ".." in name or len(name) > 200:
        raise SplError(f"The lookup name '{name[:60]}' is not allowed: use a file name of at most 200 "
                       "characters inside the lookups directory, without '/', '\\' or '..'.",
                       command=command, span=span)
    candidates = [name] if name.lower().endswith(".csv") else [name, name + ".csv"]
    for candidate in candidates:
        path = directory / candidate
        if path.is_file():
            if not inside(directory, path):
                raise SplError(f"The lookup table '{name}' is a link to a file outside the lookups "
                               f"directory ({directory}); it is not read.", command=command, span=span)
            return path
    if must_exist:
        names = sorted(p.name for p in directory.glob("*.csv")) if directory.is_dir() else []
        hint = did_you_mean(name, names + [n[:-4] for n in names]) if names else None
        raise SplError(f"The lookup table '{name}' does not exist (looked in {directory}).", command=command,
                       span=span, hint=hint or "put the CSV file in the lookups directory (--lookups DIR)")
    return directory / (name if name.lower().endswith(".csv") else name + ".csv")


def inside(directory: Path, path: Path) -> bool:
    """Whether a path, its links followed, is inside the directory (links followed too)."""
    real_dir = os.path.realpath(directory)
    return os.path.commonpath([real_dir, os.path.realpath(path)]) == real_dir


@dataclass
class LookupTable:
    columns: list[str]
    rows: list[dict]  # empty cells are left out: they are null

    @classmethod
    def read(cls, path: Path, command: str | None = None, span=None) -> "LookupTable":
        """The table in a CSV file; a file that is not UTF-8 or not CSV is an SplError naming it."""
        def problem(what: str) -> SplError:
            return SplError(f"The lookup file {path.name} {what}.", command=command, span=span)
        from .store.files import FileProblem, read_regular
        try:
            data = read_regular(path)
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            raise problem(f"is not UTF-8 text (line {line})") from None
        except OSError as e:
            raise problem(f"cannot be read ({e.strerror or e})") from None
        except FileProblem as e:
            raise problem(f"is {e}") from None
        try:
            return cls._parse(text)
        except csv.Error as e:
            raise problem(f"is not valid CSV ({e}; the limit for one cell is lookup_cell_bytes="
                          f"{limits.current().lookup_cell_bytes:,})") from None

    @classmethod
    def _parse(cls, text: str) -> "LookupTable":
        csv.field_size_limit(limits.current().lookup_cell_bytes)
        reader = csv.reader(io.StringIO(text))
        try:
            columns = next(reader)
        except StopIteration:
            return cls([], [])
        rows = []
        for record in reader:
            row = {}
            for col, cell in zip(columns, record):
                if cell != "":
                    # A cell holding several lines is a multivalue, as Splunk writes them.
                    row[col] = cell.split("\n") if "\n" in cell else cell
            rows.append(row)
        return cls(columns, rows)

    def matcher(self, inputs: list[str], wildcard: tuple[str, ...] = (), case_sensitive: bool = True):
        """A function (values of the input columns) -> matching rows, in file order (at most 100)."""
        index: dict[tuple, list[dict]] = {}
        patterns = []
        fold: Callable[[str], str] = (lambda s: s) if case_sensitive else str.lower
        for row in self.rows:
            key = tuple(row.get(c) for c in inputs)
            if any(c in wildcard and isinstance(row.get(c), str) and "*" in row[c] for c in inputs):
                patterns.append((key, row))
            elif all(isinstance(k, str) for k in key):
                index.setdefault(tuple(fold(str(k)) for k in key), []).append(row)
        compiled = [(tuple(_wild(k, c in wildcard, case_sensitive) for k, c in zip(key, inputs)), row)
                    for key, row in patterns]

        def match(values: tuple) -> list[dict]:
            out = list(index.get(tuple(fold(v) for v in values), ()))
            for tests, row in compiled:
                if all(t(v) for t, v in zip(tests, values)):
                    out.append(row)
            if compiled and out:
                order = {id(r): i for i, r in enumerate(self.rows)}
                out.sort(key=lambda r: order[id(r)])
            return out[:MAX_MATCHES]
        return match


def _wild(pattern, is_wild: bool, case_sensitive: bool):
    if pattern is None:
        return lambda v: False
    if not is_wild:
        return (lambda v: v == pattern) if case_sensitive else (lambda v: v.lower() == pattern.lower())
    return wildcard_regex(pattern, ignore_case=not case_sensitive).match


def write_table(path: Path, rows: list[dict], append: bool, command: str | None = None, span=None) -> None:
    """Write results as CSV, atomically: readers see the old file or the new one, never half."""
    try:
        _write_table(path, rows, append)
    except OSError as e:
        raise SplError(f"Cannot write the lookup file {path.name}: {e.strerror or e}.", command=command,
                       span=span) from None


def _write_table(path: Path, rows: list[dict], append: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise IsADirectoryError(21, "it is a directory")
    columns: dict[str, None] = {}
    existing: list[dict] = []
    if append and path.is_file():
        old = LookupTable.read(path)
        columns.update(dict.fromkeys(old.columns))
        existing = old.rows
    for r in rows:
        columns.update(dict.fromkeys(k for k in r if not k.startswith("_")))
    header = list(columns)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for r in existing + rows:
                w.writerow([_cell(r.get(c)) for c in header])
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _cell(v) -> str:
    if v is None:
        return ""
    return "\n".join(to_string(x) or "" for x in values_of(v))
