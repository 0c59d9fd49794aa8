"""DuckDB as a SQL engine for spl_lite: the engine's events as a table, spl_lite's Python
functions registered, lookups as tables."""
from __future__ import annotations

import re

from . import udfs

REGEX_FLAVOUR = "RE2 has no look-around or back-reference"


def require(module: str, extra: str):
    try:
        return __import__(module)
    except ImportError:
        from ..errors import SplError
        raise SplError(f"The {extra} engine needs its extra: pip install 'spl-lite[{extra}]'.") from None


def event_rows(store):
    """(_ord, _time, _raw, index, sourcetype, source, host) of every event, in Splunk's order."""
    for i, (t, raw, origin) in enumerate(store.texts()):
        yield (i, None if t is None else float(t), raw.decode("utf-8", "replace"), origin.get("index"),
               origin.get("sourcetype"), origin.get("source"), origin.get("host"))


class DuckDB:
    dialect = "duckdb"
    regex_flavour = REGEX_FLAVOUR

    def __init__(self, options=None):
        self.duckdb = require("duckdb", "duckdb")
        self.errors = self.duckdb.Error

    def _database(self):
        db = self.duckdb.connect()
        db.execute("SET TimeZone = 'UTC'")  # times are UTC, as everywhere in spl_lite
        db.execute("SET enable_progress_bar = false")  # stdout holds the results
        for mode, key in udfs.SORT_KEYS.items():
            db.create_function(f"spl_sort_key_{mode}", key, ["VARCHAR"], "VARCHAR")
        for name, case in udfs.TEXT_CASE.items():
            db.create_function(name, case, ["VARCHAR"], "VARCHAR")
        # These return null for null: DuckDB must hand them nulls rather than filter them out.
        db.create_function("spl_eval", udfs.eval_function, ["VARCHAR", "VARCHAR[]"], "VARCHAR",
                           null_handling="special")
        db.create_function("spl_eval_bool", udfs.eval_function, ["VARCHAR", "VARCHAR[]"], "BOOLEAN",
                           null_handling="special")
        for kind, values in (("str", "VARCHAR[]"), ("num", "DOUBLE[]")):
            db.create_function(f"spl_stats_{kind}", udfs.stats_function, ["VARCHAR", values, "DOUBLE[]"], "VARCHAR",
                               null_handling="special")
        return db

    def connect(self, store, table: str):
        """A database holding the store's events as a table."""
        import numpy
        db = self._database()
        columns = list(zip(*event_rows(store))) or [()] * 7
        names = ("_ord", "_time", "_raw", "index", "sourcetype", "source", "host")
        batch = {name: numpy.array(values, dtype=object) for name, values in zip(names, columns)}
        db.register("batch", batch)
        db.execute(f"CREATE TABLE {table} AS SELECT _ord::BIGINT AS _ord, _time::DOUBLE AS _time, "
                   "_raw::VARCHAR AS _raw, \"index\"::VARCHAR AS \"index\", sourcetype::VARCHAR AS sourcetype, "
                   "source::VARCHAR AS source, host::VARCHAR AS host FROM batch")
        db.unregister("batch")
        return db

    def connect_dataset(self, path, table: str):
        """A database reading a dataset made by spl-lite ingest where it lies: nothing is loaded."""
        from ..store.dataset import parquet_files
        db = self._database()
        # DuckDB reads every path as a glob: each file, its * ? [ written as one-character
        # classes, so a directory named * or ds[1] reads itself only, never its siblings.
        files = [re.sub(r"([*?\[])", r"[\1]", f) for f in parquet_files(path)]
        db.read_parquet(files, hive_partitioning=False).create_view(table)
        return db

    def lookup_table(self, db, name: str, table) -> None:
        """A lookup file as a table: its columns as text, and _row, the order of its rows."""
        columns = ", ".join(f'"{c.replace(chr(34), chr(34) * 2)}" VARCHAR' for c in table.columns)
        db.execute(f'CREATE OR REPLACE TABLE "{name}" (_row BIGINT{", " + columns if columns else ""})')
        if table.rows:
            marks = ", ".join("?" for _ in range(len(table.columns) + 1))
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})',
                           [(i, *[r.get(c) for c in table.columns]) for i, r in enumerate(table.rows)])

    def execute(self, db, sql: str) -> list[tuple]:
        return db.execute(sql).fetchall()

    def regex_error(self, pattern: str) -> str | None:
        try:
            self.duckdb.connect().execute("SELECT regexp_matches('', ?)", [pattern])
        except self.errors as e:
            return str(e).splitlines()[0]
        return None
