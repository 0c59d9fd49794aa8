"""Golden files: tests/golden/<case>.spl runs over the bundled sample; <case>.out is its output.

Set UPDATE_GOLDEN=1 to rewrite the .out files after a deliberate change, then review the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import spl_lite
from spl_lite.cli import read_spl_file

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.spl"))


@pytest.fixture(scope="module")
def engine():
    e = spl_lite.Engine()
    e.load_sample()
    return e


def output(engine, path: Path) -> str:
    try:
        result = engine.search(read_spl_file(path))
    except spl_lite.SplError as e:
        return str(e) + "\n"
    return result.to_table() + "\n"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden(engine, path):
    out = path.with_suffix(".out")
    actual = output(engine, path)
    if os.environ.get("UPDATE_GOLDEN"):
        out.write_text(actual)
    assert out.exists(), f"no {out.name}: run with UPDATE_GOLDEN=1"
    assert actual == out.read_text()


def test_there_are_golden_cases():
    assert len(CASES) >= 15
