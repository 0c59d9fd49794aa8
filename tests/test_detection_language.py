"""The language published detections use beyond the basics, table-driven: (query, events,
expected table: header row first). Expected tables follow Splunk's documented examples."""
from __future__ import annotations

import pytest

import spl_lite
from conftest import table_of

E3 = [{"_time": 1700000300, "user": "alice", "src": "10.1.2.3", "bytes": 300, "ev": "GetObject"},
      {"_time": 1700000200, "user": "bob", "src": "192.168.1.5", "bytes": 20, "ev": "PutObject"},
      {"_time": 1700000100, "user": "alice", "src": "10.9.9.9", "bytes": 1, "ev": "GetObject"}]

CASES = [
    # field names written with parentheses: the columns stats names after their calls
    ("index=main | stats sum(bytes) count by user | sort -sum(bytes) | table user sum(bytes)", E3,
     [["user", "sum(bytes)"], ["alice", "301"], ["bob", "20"]]),
    ("index=main | stats values(ev) as names(all) by user | rename names(all) AS n | fields user n", E3,
     [["user", "n"], ["alice", "GetObject"], ["bob", "PutObject"]]),
    ("index=main | stats count by user | sort num(count)", E3, [["user", "count"], ["bob", "1"], ["alice", "2"]]),
    # rename without commas between pairs; a quoted prefix before a wildcard
    ("index=main user=bob | rename user AS u src AS s | table u s", E3, [["u", "s"], ["bob", "192.168.1.5"]]),
    ('index=main user=bob | eval "x.a"=1, "x.b"=2 | rename "x".* AS * | table a b', E3, [["a", "b"], ["1", "2"]]),
    # eval function names in any case
    ('index=main | where LIKE(ev, "Get%") | eval k=CASE(bytes>100, "big", true(), "small") | table k', E3,
     [["k"], ["big"], ["small"]]),
]


@pytest.mark.parametrize("query,events,expected", CASES, ids=[c[0] for c in CASES])
def test_command(query, events, expected):
    engine = spl_lite.Engine(now=1700000250, addons=False)
    engine.add_events(events)
    assert table_of(engine.search(query)) == {"columns": expected[0], "rows": expected[1:]}


def test_a_string_ending_in_an_escaped_backslash_before_a_macro():
    engine = spl_lite.Engine(addons=False)
    engine.define_macro("ct", "convert ctime($f$)", ("f",))
    engine.add_events([{"_time": 0, "path": "C:\\tmp\\a.exe"}])
    result = engine.search('index=main | eval parts=split(path, "\\\\") | eval t=_time | `ct(t)` | table parts t')
    assert table_of(result) == {"columns": ["parts", "t"], "rows": [[["C:", "tmp", "a.exe"], "01/01/1970 00:00:00"]]}
