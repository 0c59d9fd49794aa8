"""Fuzzing: thousands of random searches, from the grammar and from real searches mutated, run
over real CloudTrail events. Each either gives a result or an SplError; nothing else escapes.

SPL_FUZZ_EXAMPLES raises the count (each of the three tests runs that many); CI runs 3 x 2,500:
grammar sentences, real searches mutated, and published detections' pipe segments spliced.
A search that runs longer than HANG_SECONDS is reported as one over its time limit (a hang
caught, not a speed measured: every search here is over 41 events and finishes in milliseconds).
"""
from __future__ import annotations

import gzip
import os
import time

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spl_lite
from spl_lite.engine import SAMPLE_DATA

from grammar_fuzz import corpus, mutate, published_macros, sentence, splice

EXAMPLES = int(os.environ.get("SPL_FUZZ_EXAMPLES", "2500"))
HANG_SECONDS = 30
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
# Small limits keep each search quick; hitting one is an SplError like any other.
LIMITS = {"regex_seconds": 0.05, "makeresults_count": 300, "max_bins": 300, "subsearch_maxtime": 2,
          "macro_expansion_chars": 20_000, "dataset_rows": 20_000}
CORPUS = corpus()
COUNTS = {"searches": 0, "answered": 0}
SLOW: list[tuple[float, str]] = []


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    e = spl_lite.Engine(now=1710000000, lookups_dir=tmp_path_factory.mktemp("lookups"), limits=LIMITS)
    records = orjson.loads(gzip.decompress(SAMPLE_DATA.read_bytes()))["Records"]
    e.add_events(records[:40:2] + [{"m": ["x", "y"], "n": "1e400", "deep": {"a": [{"b": [1, None, True]}]}}])
    for m in published_macros():  # so that spliced detections get past their first macro
        e.define_macro(m["name"], m["definition"], m.get("args", ()))
    e.define_macro("m", "eventName=*")
    e.define_macro("twice(1)", "$x$ OR $x$", ["x"])
    return e


def run(engine, text: str) -> None:
    COUNTS["searches"] += 1
    started = time.monotonic()
    try:
        result = engine.compile(text).run()
    except spl_lite.SplError as e:
        str(e)  # the message itself must render, carets and all
        return
    finally:
        took = time.monotonic() - started
        if took > HANG_SECONDS:
            SLOW.append((took, text))
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


@FUZZ
@given(st.randoms(use_true_random=False))
def test_spliced_published_detections_give_a_result_or_an_spl_error(engine, rng):
    run(engine, splice(rng))


def test_fuzz_ran_enough_searches():
    if COUNTS["searches"] == 0:
        pytest.skip("run together with the fuzz tests")
    assert COUNTS["searches"] >= 3 * EXAMPLES
    assert SLOW == []
    assert COUNTS["answered"] >= COUNTS["searches"] // 20, COUNTS  # not only errors: searches really ran
