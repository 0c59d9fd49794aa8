"""The worked cases of ../shared/spl/cases.jsonl: events, query, and Splunk's exact answer."""
from __future__ import annotations

import pytest

import spl_lite
from conftest import SHARED, case_engine, load_jsonl, table_of

CASES_FILE = SHARED / "spl" / "cases.jsonl"
CASES = load_jsonl(CASES_FILE) if CASES_FILE.exists() else []
REQUIRED_SECTIONS = tuple("ABCDEFGHIJK")  # every section


def run_case(case, tmp_path):
    return case_engine(case, tmp_path).search(case["query"])


def check(case, tmp_path):
    expected = case["expected"]
    if expected["kind"] == "error":
        with pytest.raises(spl_lite.SplError) as info:
            run_case(case, tmp_path)
        text = str(info.value).lower()
        for word in expected["contains"].lower().split():
            assert word in text, f"{word!r} not in {text!r}"
        return
    result = run_case(case, tmp_path)
    if expected["kind"] == "empty":
        assert result.rows == []
        return
    assert table_of(result) == {"columns": expected["columns"], "rows": expected["rows"]}


@pytest.mark.parametrize("case", [c for c in CASES if c["section"][0] in REQUIRED_SECTIONS],
                         ids=lambda c: c["id"])
def test_case(case, tmp_path):
    check(case, tmp_path)
