"""Splunk's value rules on every engine (issue 18): generated values (spaces, signs, exponents,
NaN and infinity words, huge integers, Unicode case pairs, empty text, multivalues) through
every eval function and search comparison, in memory and on DuckDB and Spark. Each SQL engine
gives exactly the memory engine's table or refuses at compile time, never another answer.

Each engine runs one search for all the expressions it accepts (a Spark job per expression
would take minutes), over one event per value.
"""
from __future__ import annotations

import random

import pytest

import spl_lite
from spl_lite.functions import EVAL_FUNCTIONS
from spl_lite.sql.expressions import Unsupported
from test_engines import NEEDS_SPARK

pytest.importorskip("duckdb", reason="the duckdb extra is not installed: pip install 'spl-lite[duckdb]'")

NOW = 1700000000
PIECES = {
    "space": ["", " ", "\t", "\n", "\x0b", "\u00a0"],
    "sign": ["", "+", "-"],
    "number": ["0", "7", "12", "1.5", ".5", "5.", "1e3", "1.5E-3", "1e400", "9007199254740993",
               "9223372036854775807", "99999999999999999999", "0x1F", "1,000", "١٢"],
    "word": ["nan", "NaN", "inf", "Infinity", "-inf", "abc", "ABC", "", "true", "null", "a b", "ﬁ", "ß", "ΣΑΣ",
             "İstanbul", "istanbul", "\u212a", "Straße", "ǅ", "x\u0307"],
}


def generated_values(count: int = 120, seed: int = 18) -> list:
    """Numbers written every way with white space and signs around them, words that are numbers
    to some parsers, text whose case differs between Python and SQL engines, and multivalues."""
    rng = random.Random(seed)
    out: list = []
    while len(out) < count:
        kind = rng.random()
        if kind < 0.55:
            out.append(rng.choice(PIECES["space"]) + rng.choice(PIECES["sign"]) + rng.choice(PIECES["number"])
                       + rng.choice(PIECES["space"]))
        elif kind < 0.9:
            out.append(rng.choice(PIECES["word"]))
        else:
            out.append([rng.choice(PIECES["number"] + PIECES["word"]) for _ in range(rng.randint(2, 3))])
    return out


VALUES = generated_values()
# Functions whose answer is not a function of their arguments.
MOVING = {"random", "now", "time", "relative_time", "strftime", "strptime", "searchmatch", "mvfilter",
          "commands", "lookup", "getfields"}


def _expressions() -> list[str]:
    """Every eval function the registry has, given v (and a second argument where it needs one),
    and the comparisons, arithmetic and conversions the SQL engines translate themselves."""
    exprs = ['tonumber(v)', 'abs(tonumber(v))', 'tonumber(v)+1', 'tonumber(v)*3', 'tonumber(v)-tonumber(v)',
             'tonumber(v)/2', '9223372036854775807+1', 'tostring(tonumber(v))', 'coalesce(tonumber(v), -1)',
             'upper(v)', 'lower(v)', 'len(v)', 'v . "x"', 'if(v>5, "gt", "le")', 'if(v<5, "lt", "ge")',
             'if(v=12, "eq", "ne")', 'if(v!=12, "ne", "eq")', 'if(v<1e400, "lt", "ge")', 'if(v="nan", "y", "n")',
             'if(tonumber(v)>=7, "ge", "lt")', 'if(like(v, "%a%"), "y", "n")', 'if(isnull(tonumber(v)), "n", "y")',
             'if(in(v, "12", "abc"), "y", "n")', 'case(v="abc", 1, v="ABC", 2, true(), 3)', 'mvindex(v, 0)']
    for name, spec in sorted(EVAL_FUNCTIONS.items()):
        if name in MOVING or spec.lazy or spec.builder is not None:
            continue
        if spec.min_args <= 1 and (spec.max_args is None or spec.max_args >= 1):
            call = f"{name}(v)"
        elif spec.min_args == 2:
            call = f'{name}(v, "2")'
        else:
            continue
        exprs.append(f'if({call}, "t", "f")' if spec.returns_bool else call)
    return exprs


EXPRESSIONS = _expressions()
SEARCHES = ["v=istanbul", "v=12", "v>5", "v<1e400", "v!=12", "v=abc", "v=*ss*", "v=k", "v=SS", "v=nan",
            "v<=7", "NOT v=12"]


def _engine(name: str) -> spl_lite.Engine:
    options = {"engine": "spark", "engine_options": {"render_as": "databricks"}} if name == "databricks" \
        else {"engine": name}
    e = spl_lite.Engine(now=NOW, addons=False, **options)
    e.add_events([{"_time": NOW - i, "i": i, "v": v} for i, v in enumerate(VALUES)], sourcetype="json")
    return e


def _accepted(engine, queries: list[str]) -> list[str]:
    """The queries the engine translates (a refusal comes at compile time, before any work)."""
    out = []
    for q in queries:
        try:
            engine.compile(q)
        except Unsupported:
            continue
        out.append(q)
    return out


def _same(value):
    """A cell compared as shown: NaN is "nan" (NaN equals nothing, itself included)."""
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, list):
        return [_same(v) for v in value]
    return value


def _table(engine, query: str):
    try:
        return [{k: _same(v) for k, v in r.items()} for r in engine.search(query).rows]
    except spl_lite.SplError as e:
        return f"error: {e.message}"


@pytest.fixture(scope="module")
def memory():
    return _engine("memory")


@pytest.mark.parametrize("engine_name", ["duckdb", pytest.param("spark", marks=NEEDS_SPARK),
                                         pytest.param("databricks", marks=NEEDS_SPARK)])
def test_every_eval_function_gives_the_memory_answer_or_is_refused(memory, engine_name):
    other = _engine(engine_name)
    evals = [f"* | eval r={x} | table i r" for x in EXPRESSIONS]
    accepted = [q[len("* | eval r="):-len(" | table i r")] for q in _accepted(other, evals)]
    assert accepted, "no expression translated"
    for start in range(0, len(accepted), CHUNK):
        _same_columns(memory, other, accepted[start:start + CHUNK], engine_name)


CHUNK = 20  # expressions per search (Spark's parser and code generator tire of a hundred at once)


def _same_columns(memory, other, exprs: list[str], engine_name: str) -> None:
    together = "* | eval " + ", ".join(f"r{n}={x}" for n, x in enumerate(exprs)) + " | sort 0 i | table i " \
        + " ".join(f"r{n}" for n in range(len(exprs)))
    ours, theirs = _table(memory, together), _table(other, together)
    if isinstance(theirs, str):  # one expression failing while it runs: find which, for the message
        for x in exprs:
            q = f"* | eval r={x} | sort 0 i | table i r"
            assert _table(other, q) == _table(memory, q), x
        pytest.fail(f"the search of {len(exprs)} expressions failed on {engine_name}: {theirs}")
    assert isinstance(ours, list)
    for n, x in enumerate(exprs):
        column = f"r{n}"
        mine = [(r["i"], r.get(column)) for r in ours]
        got = [(r["i"], r.get(column)) for r in theirs]
        assert got == mine, f"{x} on {engine_name}: " + str([(a, b) for a, b in zip(mine, got) if a != b][:5])


@pytest.mark.parametrize("engine_name", ["duckdb", pytest.param("spark", marks=NEEDS_SPARK)])
def test_search_comparisons_give_the_memory_answer_or_are_refused(memory, engine_name):
    other = _engine(engine_name)
    for query in _accepted(other, [f"{s} | sort 0 i | table i" for s in SEARCHES]):
        assert _table(other, query) == _table(memory, query), query
