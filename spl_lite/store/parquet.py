"""spl-lite ingest: what --data accepts, converted to a Parquet dataset partitioned by day, for
the SQL engines (DuckDB, Spark) to search without holding the events in memory.

Each row is an event as the loader reads it: the metadata fields, _time, _raw, _ord (Splunk's
order, newest first, as the memory engine keeps it), CloudTrail's common top-level fields as
columns holding the field's value exactly as a search sees it (so a search may read them instead
of parsing _raw), and the free-form subtrees as JSON text, the way Athena's CloudTrail table
keeps them. Rows go to an on-disk DuckDB staging table in batches (bounded memory), then DuckDB
sorts and writes the partitions out of core. A file ``_spl_lite.json`` names the dataset's columns.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import orjson

from ..errors import SplError
from ..runtime.values import raw_getter, raw_text, to_number, to_string
from ..runtime.values.event import BODY, ORIGIN
from .loader import LoadReport, load_paths

DATASET_FILE = "_spl_lite.json"
FORMAT = 1

# CloudTrail's top-level scalar fields (Athena's cloudtrail_logs table has each as a column).
FIELD_COLUMNS = ("eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
                 "userAgent", "errorCode", "errorMessage", "requestID", "eventID", "readOnly", "eventType",
                 "apiVersion", "managementEvent", "recipientAccountId", "sharedEventID", "vpcEndpointId",
                 "eventCategory", "sessionCredentialFromConsole")
# The free-form subtrees, as JSON text.
JSON_COLUMNS = ("userIdentity", "requestParameters", "responseElements", "additionalEventData",
                "serviceEventDetails", "resources", "tlsDetails")
METADATA = ("index", "sourcetype", "source", "host")
BATCH = 50_000


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Staging:
    """What load_paths adds events to: rows in batches, into an on-disk DuckDB table."""

    def __init__(self, db, batch: int):
        self.db, self.batch = db, batch
        self.columns = ["_seq", "_time", "_raw", *METADATA, *FIELD_COLUMNS, *JSON_COLUMNS]
        self.getters = [raw_getter(f) for f in FIELD_COLUMNS]
        self.rows: list[tuple] = []
        self.count = 0
        types = ["BIGINT", "DOUBLE"] + ["VARCHAR"] * (len(self.columns) - 2)
        db.execute("CREATE TABLE staging (" + ", ".join(f"{_quoted(c)} {t}" for c, t in zip(self.columns, types))
                   + ")")

    def add(self, events) -> int:
        added = 0
        for ev in events:
            origin = ev.get(ORIGIN) or {}
            body = ev.get(BODY) or {}
            t = to_number(ev.get("_time"))
            fields = [_text(g(ev)) for g in self.getters]
            subtrees = [None if body.get(c) is None else orjson.dumps(body[c]).decode() for c in JSON_COLUMNS]
            self.rows.append((self.count, None if t is None else float(t), raw_text(ev),
                              *[origin.get(m) for m in METADATA], *fields, *subtrees))
            self.count += 1
            added += 1
            if len(self.rows) >= self.batch:
                self.flush()
        return added

    def flush(self) -> None:
        if not self.rows:
            return
        import numpy
        columns = list(zip(*self.rows))
        batch = {name: numpy.array(values, dtype=object if i > 1 else None)
                 for i, (name, values) in enumerate(zip(self.columns, columns))}
        batch["_time"] = numpy.array([numpy.nan if t is None else t for t in columns[1]], dtype=float)
        self.db.register("batch", batch)
        # NaN stands for "no time" in the numpy batch: back to null.
        self.db.execute("INSERT INTO staging SELECT * REPLACE (CASE WHEN isnan(_time) THEN NULL ELSE _time END "
                        "AS _time) FROM batch")
        self.db.unregister("batch")
        self.rows = []


def _text(value):
    """A field's value as the text a search compares (numbers as eval prints them)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return None
    return to_string(value)


def ingest(paths, out: Path, *, sourcetype: str | None = None, index: str = "main", host: str = "localhost",
           dedup_events: bool = False, progress=None, memory_limit: str = "2GB", batch: int = BATCH) -> LoadReport:
    """Convert the events of ``paths`` into a Parquet dataset in ``out`` (a new or empty directory)."""
    try:
        import duckdb
    except ImportError:
        raise SplError("spl-lite ingest writes Parquet with DuckDB: pip install 'spl-lite[duckdb]'.") from None
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SplError(f"{out} exists and is not an empty directory: ingest writes a new dataset.")
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".ingest-", dir=out))
    try:
        db = duckdb.connect(str(work / "staging.duckdb"))
        db.execute(f"SET memory_limit = '{memory_limit}'")
        db.execute("SET TimeZone = 'UTC'")
        db.execute(f"SET temp_directory = '{work / 'spill'}'")
        db.execute("SET preserve_insertion_order = false")
        staging = _Staging(db, batch)
        report = load_paths(paths, staging, sourcetype=sourcetype, index=index, host=host, progress=progress)
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
    source = "staging"
    if dedup_events:
        # The first copy of an eventID, in load order, as --dedup-events keeps in memory.
        db.execute("CREATE VIEW unique_events AS SELECT * FROM staging QUALIFY eventID IS NULL OR "
                   "row_number() OVER (PARTITION BY eventID ORDER BY _seq) = 1")
        source = "unique_events"
        kept = db.execute("SELECT count(*) FROM unique_events").fetchone()[0]
        report.duplicates += report.events - kept
        report.events = kept
    columns = ", ".join(_quoted(c) for c in ["_time", "_raw", *METADATA, *FIELD_COLUMNS, *JSON_COLUMNS])
    # Splunk's order: newest first, events of one time in the order they were read (no time: as 0).
    db.execute(f"""COPY (
        SELECT row_number() OVER (ORDER BY coalesce(_time, 0) DESC, _seq) - 1 AS _ord, {columns},
               CASE WHEN abs(_time) < 1e11 THEN strftime(to_timestamp(_time), '%Y-%m-%d') ELSE 'none' END AS day
        FROM {source}
    ) TO '{str(out).replace("'", "''")}' (FORMAT PARQUET, PARTITION_BY (day), OVERWRITE_OR_IGNORE,
                                          FILENAME_PATTERN 'events_{{i}}', COMPRESSION zstd)""")


def read_dataset(path: Path) -> dict | None:
    """The description of a dataset made by ingest, or None when ``path`` is not one."""
    marker = Path(path) / DATASET_FILE
    if not marker.is_file():
        return None
    try:
        info = json.loads(marker.read_text())
    except (OSError, ValueError) as e:
        raise SplError(f"{marker}: not a dataset description ({e})") from None
    if info.get("format") != FORMAT:
        raise SplError(f"{marker}: a dataset of format {info.get('format')}; this spl_lite reads format {FORMAT}")
    return info
