"""Errors read like Splunk's, with the query line, a caret under the spot and a hint."""
from __future__ import annotations

import pytest

import spl_lite

CASES = [
    ("index=main | stast count",
     """Error in 'SearchParser': Unknown search command 'stast'.
  index=main | stast count
               ^^^^^
  help: did you mean 'stats'?"""),
    ("| makeresults | eval x=(1<2)",
     """Error in 'eval' command: Fields cannot be assigned a boolean result. Instead, try if([bool expr], [expr], [expr]).
  | makeresults | eval x=(1<2)
                          ^^^"""),
    ("index=main | stats count by",
     """Error in 'stats' command: The search ends too early. Expected a field name or a quoted string.
  index=main | stats count by
                             ^"""),
    ("index=main | stats cont(x)",
     """Error in 'stats' command: The argument 'cont(x)' is invalid: 'cont' is not a stats function.
  index=main | stats cont(x)
                     ^^^^^^^
  help: did you mean 'count'?"""),
    ("index=main | eval x=lenn(a)",
     """Error in 'eval' command: The 'lenn' function is unsupported or undefined.
  index=main | eval x=lenn(a)
                      ^^^^
  help: did you mean 'len'?"""),
    ("index=main | eval x=substr(a)",
     """Error in 'eval' command: The 'substr' function takes 2 to 3 arguments; it was given 1. Usage: substr(<text>, <start>, [<length>])
  index=main | eval x=substr(a)
                      ^^^^^^"""),
    ("index=main | top limt=5 eventName",
     """Error in 'top' command: Unknown option 'limt'. Options: countfield, limit, otherstr, percentfield, showcount, showperc, useother.
  index=main | top limt=5 eventName
                   ^^^^^^
  help: did you mean 'limit'?"""),
    ('index=main "unbalanced',
     """Error in 'SearchParser': Unbalanced quotes.
  index=main "unbalanced
             ^"""),
    ("index=main | table",
     """Error in 'table' command: Must specify at least one valid field name (can contain wildcards).
  index=main | table
               ^^^^^"""),
    ("index=main | dedup",
     """Error in 'dedup' command: At least one field must be given as an argument.
  index=main | dedup
               ^^^^^"""),
    ("index=main | top",
     """Error in 'top' command: No fields were specified.
  index=main | top
               ^^^"""),
    ("index=main | cluster t=0.8",
     """Error in 'cluster' command: Command 'cluster' is not supported yet in spl_lite.
  index=main | cluster t=0.8
               ^^^^^^^"""),
    ("index=main earliest=garbage",
     """Error in 'search' command: Invalid value "garbage" for time term 'earliest'.
  index=main earliest=garbage
             ^^^^^^^^^^^^^^^^
  help: use a relative time such as -24h@h, an epoch, or %m/%d/%Y:%H:%M:%S"""),
    ("index=main |",
     """Error in 'SearchParser': Missing a search command after '|'.
  index=main |
             ^"""),
    ("index=main | rename a",
     """Error in 'rename' command: The search ends too early. Expected 'as'.
  index=main | rename a
                       ^"""),
    ("| stats count",
     """Error in 'SearchParser': This search must start with a generating command such as makeresults, not 'stats'.
  | stats count
    ^^^^^
  help: drop the leading '|' to search the loaded events"""),
    ('| makeresults | eval x = 1 + "a"',
     """Error in 'eval' command: Typechecking failed. '+' only takes two strings or two numbers.
  | makeresults | eval x = 1 + "a"
                           ^^^^^^^"""),
    ("`nosuch` | stats count",
     """Error in 'SearchParser': The search specifies a macro 'nosuch' that cannot be found.
  `nosuch` | stats count
  ^^^^^^^^"""),
    ("index=main a=1)",
     """Error in 'search' command: Unexpected ')'. Expected ']', '|' or the end of the search.
  index=main a=1)
                ^"""),
    ("index=main | bin _time span=xyz",
     """Error in 'bin' command: Invalid span 'xyz'. Use a number, or a time such as 30s, 5m, 1h, 1d.
  index=main | bin _time span=xyz
                              ^^^"""),
    ('index=main | rex field=a "nogroups"',
     """Error in 'rex' command: The regex has no named groups (?<name>...), so it extracts no fields.
  index=main | rex field=a "nogroups"
                           ^^^^^^^^^^"""),
    ("index=main\n| stats count\n| sort - count\n| stast x",
     """Error in 'SearchParser': Unknown search command 'stast'.
  | stast x
    ^^^^^
  help: did you mean 'stats'?"""),
]


@pytest.fixture(scope="module")
def engine():
    e = spl_lite.Engine(now=1700000000)
    e.add_events([{"_time": 1, "a": 1}])
    return e


@pytest.mark.parametrize("query,expected", CASES, ids=[q for q, _ in CASES])
def test_error_text(engine, query, expected):
    with pytest.raises(spl_lite.SplError) as info:
        engine.search(query)
    assert str(info.value) == expected


def test_error_has_structure(engine):
    with pytest.raises(spl_lite.SplError) as info:
        engine.compile("index=main | stats cont(x)")
    err = info.value
    assert (err.command, err.span.start, err.span.end, err.hint) == ("stats", 19, 26, "did you mean 'count'?")
    assert err.query == "index=main | stats cont(x)"


def test_compile_errors_come_before_any_event_is_read(engine):
    calls = []
    original = engine.store.scan
    engine.store.scan = lambda *a, **k: calls.append(1) or original(*a, **k)
    with pytest.raises(spl_lite.SplError):
        engine.search("index=main | eval x=1 | stats nosuch(x)")
    assert calls == []
    engine.store.scan = original


def test_undefined_filter_macro_warns_and_expands_to_nothing(engine):
    result = engine.search("index=main | stats count | `detection_filter`")
    assert result.rows == [{"count": 1}]
    assert result.warnings == ["Macro 'detection_filter' is not defined; it was treated as empty."]


def test_data_problems_in_eval_give_null_not_errors(engine):
    row = engine.search('index=main | eval d=a/0, n=tonumber("x"), m=a*"b" | table d n m').rows[0]
    assert row == {"d": None, "n": None, "m": None}
