"""SQL executors: the same compiled search translated with sqlglot and run on DuckDB, or
printed for Spark, Trino (Athena, CloudTrail Lake) and Databricks."""
from __future__ import annotations

from .executor import DIALECTS, RUNNABLE, SqlExecutor

__all__ = ["DIALECTS", "RUNNABLE", "SqlExecutor"]
