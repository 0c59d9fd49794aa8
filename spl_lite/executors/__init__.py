"""Executors: what runs a compiled search. The in-memory one is the reference, checked against
Splunk; others translate the same plan for an engine built for more data."""
from __future__ import annotations

from .base import Executor
from .memory import MemoryExecutor

__all__ = ["Executor", "MemoryExecutor"]
