"""Splunk's published CloudTrail detections, unchanged, over the real events in ../shared/data."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, shared_path


def test_published_detections_compile_and_run():
    shared_path("corpus", "spl_queries.jsonl")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from detections import conformance
    totals, reasons = conformance()
    assert totals["queries"] == 206 and totals["plain"] == 97
    assert totals["compiled"] / totals["queries"] >= 0.97
    assert totals["ran_plain"] / totals["plain"] >= 0.95
    assert totals["crashes"] == 0
    # Every search that stopped said why, in words a user can act on.
    allowed = ("not supported", "GeoIP database", "lookup table", "is invalid", "Unexpected")
    assert all(any(a in why for a in allowed) for why in reasons), reasons


def test_published_detections_on_duckdb_give_the_memory_answer_or_refuse():
    """Every detection that runs in memory runs on DuckDB over the same events too: the same
    table, or "not supported on duckdb" before any work; never a different answer."""
    pytest.importorskip("duckdb", reason="the duckdb extra is not installed: pip install 'spl-lite[duckdb]'")
    shared_path("corpus", "spl_queries.jsonl")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from detections import conformance
    totals, _ = conformance(engine="duckdb")
    assert totals["differ"] == 0
    assert totals["same"] + totals["refused"] == totals["ran"]
    assert totals["same"] >= 54  # a ratchet: raise it as translation grows


def test_all_published_detections_compile_and_run():
    """All 1,711 of Splunk's published detections (every data source), with their macros."""
    shared_path("corpus", "security_content_detections.jsonl")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from published_detections import published
    totals, by_category, reasons = published()
    n = totals["detections"]
    assert n == 1711
    assert totals["compiled"] / n >= 0.97
    assert (n - totals["command not supported"]) / n >= 0.93
    assert totals["tracebacks"] == 0
    # Every stop has a reason a user can act on; the kinds are counted, not hidden.
    assert all(why.split(":")[0] in ("command not supported", "lookup file not here", "no GeoIP database",
                                     "macro not defined", "other") for why in reasons)
    assert totals["ran"] >= 1540  # a ratchet: raise it as the language grows
