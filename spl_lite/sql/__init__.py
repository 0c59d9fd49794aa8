"""SQL executors: the same compiled search translated with sqlglot and run on DuckDB, or
printed for Spark, Trino (Athena, CloudTrail Lake) and Databricks. Imported on first use
(PEP 562): importing sqlglot takes 0.1 s, which a search on the memory engine never needs."""
from __future__ import annotations

DIALECTS = ("duckdb", "spark", "trino", "databricks")

__all__ = ["DIALECTS", "RUNNABLE", "SqlExecutor", "to_sql"]


def __getattr__(name: str):
    if name in ("RUNNABLE", "SqlExecutor"):
        from . import executor
        return getattr(executor, name)
    if name == "to_sql":
        from .translate import to_sql
        return to_sql
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
