"""Apache Spark as a SQL engine for spl_lite: a local session by default (local[*]), a cluster
with a master URL, or a Spark Connect server. One session per process, shared by every engine
and test; each run registers its own events and lookups as temporary views."""
from __future__ import annotations

import os
import re
import sys
from typing import Any

from ..errors import SplError
from . import udfs
from .duckdb_backend import event_rows, require

_SESSIONS: dict = {}


def session(master: str | None = None, remote: str | None = None):
    """The process's Spark session for a master (or a Spark Connect remote), made once."""
    key = (master, remote)
    if key in _SESSIONS:
        return _SESSIONS[key]
    require("pyspark", "spark")
    from pyspark.sql import SparkSession
    # Python functions run in workers started with this very interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # A builder of its own: SparkSession.builder is shared, and keeps options between sessions.
    builder: Any = SparkSession.Builder().appName("spl_lite")  # or Spark Connect's, below
    if remote:
        # pyspark's Connect module ends the whole process when its packages are missing.
        missing = [m for m in ("pandas", "pyarrow", "grpc", "google.protobuf") if not _importable(m)]
        if missing:
            raise SplError(f"Could not start Spark Connect at {remote}: {', '.join(missing)} not installed "
                           "(Spark Connect needs pip install 'pyspark[connect]')")
        try:  # Spark Connect's own session: never a local one in its place
            from pyspark.sql.connect.session import SparkSession as ConnectSession
            builder = ConnectSession.builder.remote(remote)
        except Exception as e:  # noqa: BLE001 - its packages (pandas, grpcio, pyarrow) missing
            first = (str(e).strip().splitlines() or [type(e).__name__])[0]
            raise SplError(f"Could not start Spark Connect at {remote}: {first} (Spark Connect needs pip "
                           "install 'pyspark[connect]')") from None
    else:
        local = master is None or master.startswith("local")
        builder = builder.master(master or "local[*]").config("spark.ui.enabled", "false") \
            .config("spark.ui.showConsoleProgress", "false")
        if local:  # a few cores: Spark's 200 shuffle partitions would only cost time
            builder = builder.config("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1))) \
                .config("spark.driver.memory", os.environ.get("SPL_LITE_SPARK_MEMORY", "2g"))
    # UTC as everywhere in spl_lite; nulls, not errors, for casts and division by zero, as eval.
    builder = builder.config("spark.sql.session.timeZone", "UTC").config("spark.sql.ansi.enabled", "false") \
        .config("spark.sql.analyzer.maxIterations", "1000")  # each eval assignment nests one select
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # noqa: BLE001 - no Java, no server, Spark Connect's own packages missing
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        where = f"Spark Connect at {remote}" if remote else f"Spark ({master or 'local[*]'})"
        hint = " (Spark Connect needs pip install 'pyspark[connect]')" if remote else ""
        raise SplError(f"Could not start {where}: {first}{hint}") from None
    if not remote:
        spark.sparkContext.setLogLevel("OFF")
    _register(spark)
    _SESSIONS[key] = spark
    return spark


def _glob_literal(path: str) -> str:
    """A path that Hadoop's glob reads as itself."""
    return re.sub(r"([\\*?\[\]{}])", r"\\\1", path)


def _importable(module: str) -> bool:
    import importlib.util
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a parent package missing
        return False


def _register(spark) -> None:
    from pyspark.sql.types import BooleanType, StringType
    for mode, key in udfs.SORT_KEYS.items():
        spark.udf.register(f"spl_sort_key_{mode}", _nullable(key), StringType())
    spark.udf.register("spl_eval", udfs.eval_function, StringType())
    spark.udf.register("spl_eval_bool", udfs.eval_function, BooleanType())
    spark.udf.register("spl_stats_str", udfs.stats_function, StringType())
    spark.udf.register("spl_stats_num", udfs.stats_function, StringType())
    spark.udf.register("spl_number_text", udfs.number_text, StringType())
    for name, case in udfs.TEXT_CASE.items():
        spark.udf.register(name, _nullable(case), StringType())


def _nullable(f):
    def call(text):
        return None if text is None else f(text)
    return call


EVENT_SCHEMA = "_ord BIGINT, _time DOUBLE, _raw STRING, index STRING, sourcetype STRING, source STRING, host STRING"


class Spark:
    dialect = "spark"
    regex_flavour = "Java's regular expressions have no \\K, atomic groups or recursion"

    def __init__(self, options=None):
        options = options or {}
        self.spark = session(options.get("spark_master"), options.get("spark_remote"))
        self.errors = _errors()

    def connect(self, store, table: str):
        """The events as a DataFrame, kept for the views each run registers."""
        rows = list(event_rows(store))
        return {table: self.spark.createDataFrame(rows, EVENT_SCHEMA)}

    def connect_dataset(self, path, table: str):
        """A dataset made by spl-lite ingest, read where it lies (a day=... column comes along)."""
        from ..store.dataset import parquet_files
        # Spark reads every path as a Hadoop glob: each of the dataset's files, escaped, so a
        # directory named * or ds[1] reads itself only (basePath keeps the day=... column).
        files = [_glob_literal(f) for f in parquet_files(path)]
        return {table: self.spark.read.option("basePath", _glob_literal(str(path))).parquet(*files)}

    def lookup_table(self, db, name: str, table) -> None:
        columns = ", ".join(f"`{c.replace('`', '``')}` STRING" for c in table.columns)
        schema = "_row BIGINT" + (", " + columns if columns else "")
        db[name] = self.spark.createDataFrame([(i, *[r.get(c) for c in table.columns])
                                               for i, r in enumerate(table.rows)], schema)

    def execute(self, db, sql: str) -> list[tuple]:
        for name, frame in db.items():
            frame.createOrReplaceTempView(name)
        try:
            return [tuple(row) for row in self.spark.sql(sql).collect()]
        finally:  # the session is shared: leave nothing of this engine's data pinned in it
            for name in db:
                self.spark.catalog.dropTempView(name)

    def regex_error(self, pattern: str) -> str | None:
        try:
            self.spark.sql("SELECT '' RLIKE :p", args={"p": pattern}).collect()
        except self.errors as e:
            return str(e).strip().splitlines()[0]
        return None


def _errors():
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException
    return (PySparkException, Py4JError)
