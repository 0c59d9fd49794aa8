"""SQL executors: the same compiled search translated with sqlglot and run on DuckDB, or
printed for Spark, Trino (Athena, CloudTrail Lake) and Databricks."""
from __future__ import annotations

from .executor import RUNNABLE, SqlExecutor
from .translate import DIALECTS, to_sql

__all__ = ["DIALECTS", "RUNNABLE", "SqlExecutor", "to_sql"]
