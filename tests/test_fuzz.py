"""Fuzzing: thousands of random searches, from the grammar and from real searches mutated, run
over real CloudTrail events. Each either gives a result or an SplError; nothing else escapes.

SPL_FUZZ_EXAMPLES raises the count (each of the two tests runs that many); CI runs 2 x 2,600.
"""
from __future__ import annotations

import gzip
import os

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spl_lite
from spl_lite.engine import SAMPLE_DATA

from grammar_fuzz import corpus, mutate, sentence

EXAMPLES = int(os.environ.get("SPL_FUZZ_EXAMPLES", "2600"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
# Small limits keep each search quick; hitting one is an SplError like any other.
LIMITS = {"regex_seconds": 0.05, "makeresults_count": 300, "max_bins": 300, "subsearch_maxtime": 2,
          "macro_expansion_chars": 20_000, "dataset_rows": 20_000}
CORPUS = corpus()
COUNTS = {"searches": 0, "answered": 0}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    e = spl_lite.Engine(now=1710000000, lookups_dir=tmp_path_factory.mktemp("lookups"), limits=LIMITS)
    records = orjson.loads(gzip.decompress(SAMPLE_DATA.read_bytes()))["Records"]
    e.add_events(records[:40:2] + [{"m": ["x", "y"], "n": "1e400", "deep": {"a": [{"b": [1, None, True]}]}}])
    e.define_macro("m", "eventName=*")
    e.define_macro("twice(1)", "$x$ OR $x$", ["x"])
    return e


def run(engine, text: str) -> None:
    COUNTS["searches"] += 1
    try:
        result = engine.compile(text).run()
    except spl_lite.SplError as e:
        str(e)  # the message itself must render, carets and all
        return
    COUNTS["answered"] += 1
    for row in result.rows:
        for v in row.values():
            assert v is None or type(v) in (str, int, float, list), (text, row)


@FUZZ
@given(st.randoms(use_true_random=False))
def test_grammar_sentences_give_a_result_or_an_spl_error(engine, rng):
    run(engine, sentence(rng))


@FUZZ
@given(st.randoms(use_true_random=False))
def test_mutated_real_searches_give_a_result_or_an_spl_error(engine, rng):
    run(engine, mutate(rng.choice(CORPUS), rng))


def test_fuzz_ran_enough_searches():
    if COUNTS["searches"] == 0:
        pytest.skip("run together with the fuzz tests")
    assert COUNTS["searches"] >= 2 * EXAMPLES
    assert COUNTS["answered"] >= COUNTS["searches"] // 20, COUNTS  # not only errors: searches really ran
