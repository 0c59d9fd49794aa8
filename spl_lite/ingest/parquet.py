"""spl-lite ingest: what --data accepts, converted to a Parquet dataset partitioned by day, for
the SQL engines (DuckDB, Spark) to search without holding the events in memory.

Each row is an event as the loader reads it: the metadata fields, _time, _raw, _ord (Splunk's
order, newest first, as the memory engine keeps it), CloudTrail's common top-level fields as
columns holding the field's value exactly as a search sees it (so a search may read them instead
of parsing _raw), and the free-form subtrees as JSON text, the way Athena's CloudTrail table
keeps them. Rows go to an on-disk DuckDB staging table in batches (bounded memory), then DuckDB
extracts the columns, sorts and writes the partitions out of core. A file ``_spl_lite.json`` names the dataset's columns.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..errors import SplError
from ..store.dataset import DATASET_FILE, FIELD_COLUMNS, FORMAT, JSON_COLUMNS, METADATA, WORK_PREFIX, unfinished
from ..runtime.values import raw_text, to_number
from ..runtime.values.event import ORIGIN
from ..store.line_batches import each_event
from ..store.loader import LoadReport, load_paths

BATCH = 50_000
ROW_GROUP = 20_000  # rows per Parquet row group: the writer buffers one per day being written


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """A SQL string literal of ``text`` (for the one statement, COPY ... TO, that takes no parameter)."""
    return "'" + text.replace("'", "''") + "'"


class _Staging:
    """What load_paths adds events to: (order read, _time, _raw, metadata) in batches, into an
    on-disk DuckDB table. The field columns are extracted later by DuckDB, on both cores."""

    COLUMNS = ("_seq", "_time", "_raw", *METADATA)

    def __init__(self, db, batch: int):
        self.db, self.batch = db, batch
        self.rows: list[tuple] = []
        self.count = 0
        types = ["BIGINT", "DOUBLE"] + ["VARCHAR"] * (len(self.COLUMNS) - 2)
        db.execute("CREATE TABLE staging (" + ", ".join(f"{_quoted(c)} {t}" for c, t in zip(self.COLUMNS, types))
                   + ")")

    def start(self, seq: int) -> None:
        """Number the next events from ``seq`` on (a worker's file's place in load order)."""
        self.count = seq

    def add(self, events) -> int:
        start = self.count
        for ev in each_event(events):
            origin = ev.get(ORIGIN) or {}
            t = to_number(ev.get("_time"))
            self.rows.append((self.count, math.nan if t is None else float(t), raw_text(ev),
                              *[origin.get(m) for m in METADATA]))
            self.count += 1
            if len(self.rows) >= self.batch:
                self.flush()
        return self.count - start

    def flush(self) -> None:
        if not self.rows:
            return
        import numpy
        columns = list(zip(*self.rows))
        batch = {name: numpy.array(values, dtype=object if i > 1 else None)
                 for i, (name, values) in enumerate(zip(self.COLUMNS, columns))}
        self.db.register("batch", batch)
        # NaN stands for "no time" in the numpy batch: back to null.
        self.db.execute("INSERT INTO staging SELECT * REPLACE (CASE WHEN isnan(_time) THEN NULL ELSE _time END "
                        "AS _time) FROM batch")
        self.db.unregister("batch")
        self.rows = []


def _field_columns(values: str) -> str:
    """Each field column as the SQL executors read the field from _raw (the rule the tests hold
    equal to the memory engine's), and each subtree as its JSON text, from ``values``: the list
    json_extract took out of _raw in one parse, fields first."""
    import sqlglot
    from sqlglot import exp
    from ..sql.dialects import portable, render
    columns = []
    for i, name in enumerate((*FIELD_COLUMNS, *JSON_COLUMNS), start=1):
        value = sqlglot.parse_one(f"{values}[{i}]", read="duckdb")
        if name in FIELD_COLUMNS:
            value = portable("json_value", value)
        else:
            value = exp.cast(value, "VARCHAR")
        columns.append(render(exp.alias_(value, name, quoted=True), "duckdb"))
    return ", ".join(columns)


def _paths() -> str:
    return "[" + ", ".join("'$.\"" + name + "\"'" for name in (*FIELD_COLUMNS, *JSON_COLUMNS)) + "]"


def ingest(paths, out: Path, *, sourcetype: str | None = None, index: str = "main", host: str = "localhost",
           dedup_events: bool = False, progress=None, memory_limit: str | int = "2GB", batch: int = BATCH,
           workers: int = os.cpu_count() or 1) -> LoadReport:
    """Convert the events of ``paths`` into a Parquet dataset in ``out`` (a new or empty directory),
    reading files in ``workers`` processes."""
    try:
        import duckdb
    except ImportError:
        raise SplError("spl-lite ingest writes Parquet with DuckDB: pip install 'spl-lite[duckdb]'.") from None
    from .. import limits
    # Read here, given to DuckDB as a number of bytes: the user's text never becomes SQL.
    memory = limits.parse_size(memory_limit, "--memory", least=64 * 1000 ** 2)
    out = Path(out)
    if out.is_dir():
        _removeunfinished(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SplError(f"{out} exists and is not an empty directory: ingest writes a new dataset.")
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out))
    except OSError as e:
        raise SplError(f"Cannot make the dataset directory {out}: {e.strerror or e}.") from None
    try:
        db = duckdb.connect(str(work / "dataset.duckdb"))
        db.execute("SET memory_limit = $1", [f"{memory}B"])
        db.execute("SET TimeZone = 'UTC'")
        # DuckDB's own bar for the write, on a terminal only (it writes to stdout).
        db.execute(f"SET enable_progress_bar = {'true' if sys.stdout.isatty() else 'false'}")
        db.execute("SET temp_directory = $1", [str(work / "spill")])
        db.execute("SET preserve_insertion_order = false")
        # Each day being written buffers its rows: flush them often, so memory stays bounded.
        db.execute(f"SET partitioned_write_flush_threshold = {ROW_GROUP}")
        from .workers import files_to_read, read_in_workers  # its module runs as a worker too
        options: dict[str, Any] = dict(sourcetype=sourcetype, index=index, host=host)
        report = LoadReport()
        files = files_to_read(paths, report)
        if workers > 1 and len(files) > 1:
            parts = read_in_workers(files, work, report, options, batch, progress, workers)
            for n, part in enumerate(parts):
                db.execute(f"ATTACH {_literal(str(part))} AS part{n} (READ_ONLY)")
            db.execute("CREATE VIEW staging AS " + " UNION ALL ".join(f"SELECT * FROM part{n}.staging"
                                                                      for n in range(len(parts))))
        else:
            staging = _Staging(db, batch)
            report.merge(load_paths(files, staging, progress=progress, **options))
            staging.flush()
        _write(db, out, dedup_events, report)
        db.close()
    except BaseException:
        # Half a dataset is no dataset: what this run made goes.
        shutil.rmtree(out if created else work, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (out / DATASET_FILE).write_text(json.dumps({"format": FORMAT, "events": report.events,
                                                "fields": list(FIELD_COLUMNS), "json": list(JSON_COLUMNS)},
                                               indent=1) + "\n")
    return report


def _write(db, out: Path, dedup_events: bool, report: LoadReport) -> None:
    # Order and duplicates are worked out on narrow rows (sorting whole events would need them
    # all in memory): _seq, _time and the eventID, then joined back to the events once.
    db.execute("CREATE TABLE keys AS SELECT _seq, _time, json_extract_string(_raw, '$.eventID') AS id FROM staging")
    kept = "keys"
    if dedup_events:
        # The first copy of an eventID, in load order, as --dedup-events keeps in memory.
        db.execute("CREATE TABLE kept AS SELECT _seq, _time FROM keys QUALIFY id IS NULL OR "
                   "row_number() OVER (PARTITION BY id ORDER BY _seq) = 1")
        kept = "kept"
        count = db.execute("SELECT count(*) FROM kept").fetchone()[0]
        report.duplicates += report.events - count
        report.events = count
    # Splunk's order: newest first, events of one time in the order they were read (no time: as 0).
    db.execute(f"CREATE TABLE ord AS SELECT _seq, row_number() OVER (ORDER BY coalesce(_time, 0) DESC, _seq) - 1 "
               f"AS _ord FROM {kept}")
    columns = ", ".join([_quoted(c) for c in ["_time", "_raw", *METADATA]] + [_field_columns("_values")])
    db.execute(f"""COPY (
        SELECT _ord, {columns},
               CASE WHEN abs(_time) < 1e11 THEN strftime(to_timestamp(_time), '%Y-%m-%d') ELSE 'none' END AS day
        FROM (SELECT *, json_extract(_raw, {_paths()}) AS _values FROM staging) JOIN ord USING (_seq)
    ) TO {_literal(str(out))} (FORMAT PARQUET, PARTITION_BY (day), OVERWRITE_OR_IGNORE,
                                          FILENAME_PATTERN 'events_{{i}}', COMPRESSION zstd,
                                          ROW_GROUP_SIZE {ROW_GROUP})""")


def _removeunfinished(out: Path) -> None:
    """What an ingest that was killed (SIGKILL, a power cut) left: only its work folders. A new
    ingest into the same directory starts again from nothing."""
    left = list(out.iterdir())
    if left and not (out / DATASET_FILE).exists() and all(p in unfinished(out) for p in left):
        for p in left:
            shutil.rmtree(p, ignore_errors=True)
