"""Hostile input, as issue 7 found it: each case gives the right answer or a clean SplError,
within seconds, never a traceback, a hang or a silent loss.

Searches run over the bundled sample with the regex limit lowered so that runaway patterns
stop quickly; every value in every row must be a plain str, int, float, list or None.
"""
from __future__ import annotations

import math

import orjson
import pytest

import spl_lite
from spl_lite.render import render

A30B = "a" * 30 + "b"  # (a|aa)+$ backtracks for ever on this without a time limit


@pytest.fixture(scope="module")
def engine():
    e = spl_lite.Engine(now=1700000000, limits={"regex_seconds": 0.2})
    e.load_sample()
    e.add_events([{"timestamp": 1709546400123, "k": "ms"}, {"timestamp": 1709546400000000, "k": "us"},
                  {"timestamp": 1709546400000000000, "k": "ns"}], index="t", sourcetype="json")
    e.define_macro("d0", "eventName=x")
    for i in range(1, 40):  # each level doubles the one below: 2^39 copies if nothing stops it
        e.define_macro(f"d{i}", f"`d{i - 1}` OR `d{i - 1}`")
    return e


def plain(value) -> bool:
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or type(value) in (str, int, float)


# (search, rows it gives) -------------------------------------------------------------------
ANSWERS = [
    # Values that leave the engine are plain; unrepresentable ones are inf/nan or null.
    ("| makeresults | eval r=round(3.14159,2) | table r", [{"r": 3.14}]),
    ("| makeresults | eval r=round(0.80499,4) | table r", [{"r": 0.805}]),
    ("| makeresults | eval r=pow(2,70) | table r", [{"r": 1.1805916207174113e21}]),
    ("| makeresults | eval r=1e308*10 | table r", [{"r": math.inf}]),
    ("| makeresults | eval r=round(1e308,2) | table r", [{"r": 1e308}]),
    ('| makeresults | eval r=strftime(1e20,"%Y") | table r', [{"r": None}]),
    ('| makeresults | eval r=relative_time(0, "+99999999999y") | table r', [{"r": None}]),
    ("| makeresults count=2 | tail 99999999999999999999 | stats count", [{"count": 2}]),
    # Epochs in milli-, micro- and nanoseconds are read as seconds.
    ("index=t | table _time k", [{"_time": 1709546400.123, "k": "ms"}, {"_time": 1709546400, "k": "us"},
                                 {"_time": 1709546400, "k": "ns"}]),
    # _time made text
    ("index=main | head 1 | convert ctime(_time) | table _time", [{"_time": "03/10/2024 23:50:46"}]),
    ('index=main | head 1 | eval _time="x" | table _time date_hour', [{"_time": "x", "date_hour": "23"}]),
    ('index=main | head 2 | eval _time="x" | timechart count', []),
    # Commands
    ("| makeresults | eval date_hour=5 | bin date_hour span=1h | table date_hour", [{"date_hour": "0-3600"}]),
    ('| makeresults | eval x="1.2.3", y="10k" | convert memk(x) memk(y) | table x y', [{"x": "1.2.3", "y": 10}]),
    ("index=main | head 3 | makemv _raw | search foo | stats count", [{"count": 0}]),
    ("index=main | head 3 | makemv _raw | search AwsApiCall | stats count", [{"count": 3}]),
    # Size: chains are loops, not recursion.
    ("| makeresults | eval x=" + "+".join(["1"] * 500) + " | table x", [{"x": 500}]),
    ("| makeresults | eval x=7 | where " + " OR ".join(f"x={i}" for i in range(500)) + " | table x", [{"x": 7}]),
    ("| makeresults | eval y=if(" + "NOT " * 500 + "true(), 1, 0) | table y", [{"y": 1}]),
    ("index=main " + "NOT " * 500 + "eventName=ConsoleLogin | stats count", [{"count": 24}]),
    # Wildcards and LIKE in linear time over all 3,000 events.
    ('index=main _raw="*e*e*e*e*e*e*e*zzq" | stats count', [{"count": 0}]),
    ("index=main *e*e*e*e*e*e*e*zzq | stats count", [{"count": 0}]),
    ('index=main | where like(_raw, "%e%e%e%e%e%e%e%e%zzq") | stats count', [{"count": 0}]),
    ('index=main eventName="*e*e*e*e*" | stats count', [{"count": 148}]),  # as re's .*e.*e.*e.*e.* counts
]


@pytest.mark.parametrize("query, expected", ANSWERS, ids=[q[:70] for q, _ in ANSWERS])
def test_hostile_search_gives_the_answer(engine, query, expected):
    result = engine.search(query)
    rows = [{k: v for k, v in r.items() if k in (expected[0] if expected else r)} for r in result.rows]
    assert rows == expected
    assert all(plain(v) for r in result.rows for v in r.values())
    for fmt in ("table", "json", "ndjson", "csv"):
        render(result, fmt)


def test_rounded_values_keep_their_decimals_in_tables_and_csv(engine):
    result = engine.search("| makeresults | eval r=round(0.80499,4), s=round(2.5,1) | table r s")
    assert result.rows == [{"r": 0.805, "s": 2.5}]
    assert render(result, "csv") == "r,s\n0.8050,2.5"
    assert orjson.loads(render(result, "json")) == [{"r": 0.805, "s": 2.5}]


def test_json_writes_infinities_and_nan_as_null(engine):
    result = engine.search('| makeresults | eval a=1e308*10, b=tonumber("nan") | table a b')
    assert orjson.loads(render(result, "json")) == [{"a": None, "b": None}]
    assert render(result, "table").splitlines()[-1].split() == ["inf", "nan"]


# (search, error message, caret line) --------------------------------------------------------
ERRORS = [
    ("earliest=-99999999999d | head 1",
     "Error in 'search' command: Invalid value \"-99999999999d\" for time term 'earliest'.",
     "  ^^^^^^^^^^^^^^^^^^^^^^"),
    ("| makeresults | timechart span=0s count",
     "Error in 'timechart' command: Invalid span '0s'. Use a time such as 30s, 5m, 1h, 1d.",
     "                  ^^^^^^^^^^^^^^^^^^^^^^^"),
    ('| makeresults | eval x=replace("a", "(", "b")',
     "Error in 'eval' command: Invalid regular expression \"(\": missing ) at position 1.",
     "                                      ^^^"),
    ('| makeresults | eval x=replace("a", "(a)", "\\9")',
     "Error in 'eval' command: Invalid replacement \"\\9\" for the regular expression \"(a)\": there is no "
     "group 9.", "                                             ^^^^"),
    ('| makeresults | eval x="abc" | rex field=x mode=sed "s/(a)/\\2/"',
     "Error in 'rex' command: Invalid replacement \"\\2\" for the regular expression \"(a)\": there is no "
     "group 2.", "                                                      ^^^^^^^^^^^"),
    ("| makeresults count=1e20", "Error in 'makeresults' command: Invalid value \"1e20\" for option 'count': "
     "expected a whole number", "                      ^^^^"),
    ("| makeresults count=100000000000000000000", "Error in 'makeresults' command: makeresults asks for more "
     "results than the limit (limit makeresults_count=1000000).", "    " + "^" * 39),
    ("| makeresults | eval _time=0 | append [| makeresults] | timechart span=1s count",
     "Error in 'timechart' command: span=1s makes 1,700,000,001 time buckets (limit max_bins=50000).",
     " " * 58 + "^" * 23),
    ("| makeresults | eval x=" + "abs(" * 120 + "1" + ")" * 120,
     "Error in 'SearchParser': The search nests 124 levels deep (limit expression_depth=100).", None),
    ("index=main " + "[search " * 12 + "x" + "]" * 12,
     "Error in 'SearchParser': Subsearches are nested 12 deep (limit subsearch_depth=10).",
     " " * 101 + "^" * 10),
    ("`d39`", "Error in 'SearchParser': The search grows past 1,000,000 characters as its macros expand "
     "(limit macro_expansion_chars=1000000).", "  ^^^^^"),
]
# A runaway regex in every place a regex is written: stopped by regex_seconds.
RUNAWAY = [
    (f'| makeresults | eval s="{A30B}" | rex field=s "(?<x>(a|aa)+$)"', "rex", "(?<x>(a|aa)+$)"),
    (f'| makeresults | eval s="{A30B}" | regex s="(a|aa)+$"', "SearchOperator:regex", "(a|aa)+$"),
    (f'| makeresults | eval m=if(match("{A30B}", "(a|aa)+$"), 1, 0)', "eval", "(a|aa)+$"),
    (f'| makeresults | eval m=replace("{A30B}", "(a|aa)+$", "x")', "eval", "(a|aa)+$"),
    (f'| makeresults | eval m=mvfind(split("{A30B},x", ","), "(a|aa)+$")', "eval", "(a|aa)+$"),
    (f'| makeresults | eval s="{A30B}" | rex field=s mode=sed "s/(a|aa)+$/x/"', "rex", "(a|aa)+$"),
    (f'| makeresults | eval s="{A30B}" | makemv tokenizer="((a|aa)+$)" s', "makemv", "((a|aa)+$)"),
]


@pytest.mark.parametrize("query, message, carets", ERRORS, ids=[q[:60] for q, _, _ in ERRORS])
def test_hostile_search_gives_a_clean_error(engine, query, message, carets):
    with pytest.raises(spl_lite.SplError) as info:
        engine.search(query)
    lines = str(info.value).splitlines()
    assert lines[0] == message
    if carets is not None:
        assert lines[2] == carets


@pytest.mark.parametrize("query, command, pattern", RUNAWAY, ids=[c for _, c, _ in RUNAWAY])
def test_runaway_regex_stops_at_the_time_limit(engine, query, command, pattern):
    with pytest.raises(spl_lite.SplError) as info:
        engine.search(query)
    headline = f"Error in '{command}'" + ("" if command.startswith("Search") else " command")
    assert info.value.headline == (f"{headline}: The regular expression \"{pattern}\" took too long on one "
                                   "value (limit regex_seconds=0.2).")
    assert info.value.hint == "raise it with --limit regex_seconds=N, or Engine(limits={'regex_seconds': N})"


def test_runaway_regex_in_a_props_extraction(tmp_path):
    props = tmp_path / "props.conf"
    props.write_text("[json]\nEXTRACT-x = (?<x>(a|aa)+$) in s\n")
    e = spl_lite.Engine(now=1, knowledge=[props], limits={"regex_seconds": 0.2})
    e.add_events([{"s": A30B}], sourcetype="json")
    with pytest.raises(spl_lite.SplError, match=r"took too long on one value \(limit regex_seconds=0.2\)"):
        e.search("index=main | table x")


def test_pcre_syntax_is_read_as_splunk_writes_it(engine):
    result = engine.search('| makeresults | eval s="ab\u202ec" | rex field=s "(?<x>\\x{202E})(?<y>.)" | table x y')
    assert result.rows == [{"x": "\u202e", "y": "c"}]


def test_limits_are_checked_by_name_and_value():
    with pytest.raises(ValueError) as info:
        spl_lite.Engine(limits={"regex_second": 1})
    assert str(info.value) == "limits: Unknown limit 'regex_second'. (did you mean 'regex_seconds'?)"
    with pytest.raises(ValueError, match="takes a positive number, not 'nan'"):
        spl_lite.Engine(limits={"max_bins": "nan"})
    assert spl_lite.Engine(limits={"max_bins": "10"}).limits.max_bins == 10


def test_dataset_rows_limit_stops_a_command_that_holds_everything(engine):
    e = spl_lite.Engine(now=1, limits={"dataset_rows": 1000})
    e.load_sample()
    with pytest.raises(spl_lite.SplError) as info:
        e.search("index=main | sort 0 eventName")
    assert info.value.headline == ("Error in 'sort' command: More than 1,000 results to hold at once "
                                   "(limit dataset_rows=1000).")


def test_add_events_reads_iso_time_and_names_a_bad_one():
    e = spl_lite.Engine(now=1)
    e.add_events([{"_time": "2024-03-04T10:00:00Z", "a": 1}, {"_time": 1709546400123, "a": 2}])
    assert e.search("index=main | table _time a").rows == [{"_time": 1709546400.123, "a": "2"},
                                                          {"_time": 1709546400, "a": "1"}]
    with pytest.raises(spl_lite.SplError) as info:
        e.add_events([{"a": 1}, {"_time": "yesterday"}])
    assert str(info.value) == ('Event 2 has _time "yesterday", which is neither an epoch nor an ISO 8601 '
                               'time such as 2024-03-04T10:00:00Z.')


def test_a_query_that_is_not_utf8_is_an_error_with_a_caret(engine):
    with pytest.raises(spl_lite.SplError) as info:
        engine.search("index=main \udcff")
    assert str(info.value) == ("Error in 'SearchParser': The search is not valid UTF-8 text.\n"
                               "  index=main \ufffd\n             ^")


def test_a_very_long_search_shows_the_spot_not_the_whole_line(engine):
    text = "| makeresults | eval x=" + "+".join(["1"] * 3000) + " | stast count"
    with pytest.raises(spl_lite.SplError) as info:
        engine.search(text)
    line, carets = str(info.value).splitlines()[1:3]
    assert len(line) < 140 and line.endswith("| stast count") and carets.strip() == "^^^^^"
    assert line.index("stast") == carets.index("^")
