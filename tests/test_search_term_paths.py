"""What a search term matches has one reference: the event-by-event test the search-term
compiler builds (compiler/search_terms.py, run with Engine(engine_options={"columnar": False})).
The other places that decide it are tested against that reference over generated values and
terms (issue 19):

- the column path (store/search_columns.py: a term tested a column at a time);
- the load prefilter (store/prefilter.py: a search run once parses only the lines that hold its
  literal text), which must never drop an event the search matches;
- the SQL translation (sql/expressions.py), which gives the same events or refuses at compile time.
"""
from __future__ import annotations

import json
import random

import pytest

import spl_lite
from spl_lite.sql.expressions import Unsupported
from test_value_rules_differential import generated_values

NOW = 1700000000
VALUES = generated_values(80, seed=19) + [
    "10.1.2.3", "192.168.0.1", "10.0.0.255", "hello world", "Hello-World", "a=b", "x.y.z", "user@example.com",
    "GetObject", "getobject", "Get*Object", "", ["10.1.2.3", "abc"], ["hello", "world"],
]


def _patterns(rng: random.Random) -> list[str]:
    """Values to search for: the values themselves, other cases, wildcards at each end and
    inside, CIDR ranges, numbers written otherwise."""
    singles = [v for v in VALUES if isinstance(v, str) and v.strip()]
    out = ["*", "10.0.0.0/8", "192.168.0.0/16", "10.1.2.3/32", "12", "7.0", "1e3", "-5", "0"]
    for v in rng.sample(singles, 30):
        v = v.strip()
        out += [v, v.upper(), v.lower(), v[:2] + "*", "*" + v[-2:], v[:1] + "*" + v[-1:]]
    return [p for p in dict.fromkeys(out) if p and '"' not in p and "\\" not in p]


def _quoted(p: str) -> str:
    return f'"{p}"'


def search_terms(count: int = 220, seed: int = 19) -> list[str]:
    """Field comparisons (= != < > <= >=, IN), negations, free-text words and phrases, TERM()
    and CASE(), and ANDs and ORs of them."""
    rng = random.Random(seed)
    patterns = _patterns(rng)
    singles = []
    for p in patterns:
        op = rng.choice(["=", "=", "!=", "<", ">", "<=", ">="])
        singles.append(f"v{op}{_quoted(p)}")
        if p.replace(".", "").replace("-", "").isalnum():
            singles += [f"v={p}", f"NOT v={p}", p, f"TERM({p})", f"CASE({p})"]
        singles.append(_quoted(p))
    singles += [f"v IN ({_quoted(rng.choice(patterns))}, {_quoted(rng.choice(patterns))})" for _ in range(10)]
    singles += ["v=*", "NOT v=*", "missing=*", "NOT missing=x", "missing!=x"]
    out = list(dict.fromkeys(singles))
    while len(out) < count:
        a, b = rng.sample(singles, 2)
        out.append(rng.choice([f"{a} {b}", f"{a} OR {b}", f"NOT ({a} OR {b})", f"({a}) {b}"]))
    return out


TERMS = search_terms()


def _events() -> list[dict]:
    return [{"_time": NOW - i, "i": i, "v": v} for i, v in enumerate(VALUES)]


def _engine(**options) -> spl_lite.Engine:
    e = spl_lite.Engine(now=NOW, addons=False, **options)
    e.add_events(_events(), sourcetype="json")
    return e


def _matched(engine: spl_lite.Engine, term: str):
    try:
        return [r["i"] for r in engine.search(f"{term} | sort 0 i | table i").rows]
    except spl_lite.SplError as e:
        return f"error: {e.message}"


@pytest.fixture(scope="module")
def reference():
    e = _engine(engine_options={"columnar": False})
    return {t: _matched(e, t) for t in TERMS}


def test_the_terms_are_many_and_match_differently(reference):
    """The generated terms exercise the rules: most compile, and they split the events in many ways."""
    answers = [tuple(v) for v in reference.values() if not isinstance(v, str)]
    assert len(answers) >= 0.95 * len(TERMS)
    assert len(set(answers)) >= 60
    assert any(0 < len(a) < len(VALUES) for a in answers)


def test_the_column_path_matches_what_the_event_path_matches(reference):
    columnar = _engine()
    wrong = [(t, reference[t], got) for t in TERMS if (got := _matched(columnar, t)) != reference[t]]
    assert not wrong, wrong[:5]


def test_the_load_prefilter_keeps_every_event_a_search_matches(reference, tmp_path):
    """Loading for one search parses only the lines holding its literal text: the answer is the
    reference's, over a file of the same events."""
    path = tmp_path / "events.ndjson"
    with path.open("w") as f:
        for ev in _events():
            body = {k: v for k, v in ev.items() if k != "_time"}
            body["eventTime"] = f"2023-11-14T{22 - ev['i'] // 3600:02d}:{59 - ev['i'] // 60 % 60:02d}:" \
                                f"{59 - ev['i'] % 60:02d}Z"
            f.write(json.dumps(body) + "\n")
    full = spl_lite.Engine(now=NOW, addons=False)
    full.load(path, sourcetype="json")
    pruned_some = 0
    wrong = []
    for t in TERMS:
        once = spl_lite.Engine(now=NOW, addons=False)
        try:
            query = once.compile(f"{t} | sort 0 i | table i")
        except spl_lite.SplError:
            continue
        report = once.load(path, sourcetype="json", only_for=query)
        pruned_some += report.events < len(VALUES)
        got = [r["i"] for r in query.run().rows]
        if got != _matched(full, t):
            wrong.append((t, _matched(full, t), got))
    assert not wrong, wrong[:5]
    assert pruned_some >= 20  # the prefilter did drop lines for many of the terms


def test_sql_matches_what_the_event_path_matches_or_refuses(reference):
    pytest.importorskip("duckdb", reason="the duckdb extra is not installed: pip install 'spl-lite[duckdb]'")
    duck = _engine(engine="duckdb")
    accepted, wrong = 0, []
    for t in TERMS:
        try:
            duck.compile(f"{t} | sort 0 i | table i")
        except Unsupported:
            continue
        accepted += 1
        if (got := _matched(duck, t)) != reference[t]:
            wrong.append((t, reference[t], got))
    assert not wrong, wrong[:5]
    assert accepted >= 0.8 * len(TERMS)


@pytest.mark.parametrize("search", ["kelvin", "KELVIN", '"kelvin"', "v=kelvin", "TERM(kelvin)", "kel*"])
def test_a_character_that_lowers_to_ascii_matches_as_its_lower_case(tmp_path, search):
    """The Kelvin sign lowers to k (str.lower(), the rule of field=value and lower()): free text
    finds it too, on each path, and the byte searches before parsing keep its event."""
    bodies = [{"i": 0, "v": "\u212aelvin"}, {"i": 1, "v": "kelvin"}, {"i": 2, "v": "other"}]
    path = tmp_path / "k.ndjson"
    path.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in bodies), encoding="utf-8")
    query = f"{search} | sort 0 i | table i"
    answers = {}
    for name, options in (("events", {"engine_options": {"columnar": False}}), ("columns", {})):
        e = spl_lite.Engine(now=NOW, addons=False, **options)
        e.load(path, sourcetype="json")
        answers[name] = [r["i"] for r in e.search(query).rows]
    once = spl_lite.Engine(now=NOW, addons=False)
    compiled = once.compile(query)
    once.load(path, sourcetype="json", only_for=compiled)
    answers["loaded for the search"] = [r["i"] for r in compiled.run().rows]
    assert answers == {k: ["0", "1"] for k in answers}
