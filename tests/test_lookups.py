"""Lookup tables: matching, writing atomically, round trips, and names kept inside the directory."""
from __future__ import annotations

import pytest

import spl_lite

EVENTS = [{"_time": 3, "user": "alice", "ip": "1.1.1.1"}, {"_time": 2, "user": "bob", "ip": "2.2.2.2"},
          {"_time": 1, "user": "alice", "ip": "3.3.3.3"}]


@pytest.fixture
def engine(tmp_path):
    e = spl_lite.Engine(lookups_dir=tmp_path, addons=False)
    e.add_events(EVENTS)
    return e


def test_outputlookup_then_inputlookup_round_trip(engine, tmp_path):
    written = engine.search("index=main | stats count, values(ip) as ips by user | outputlookup seen.csv").rows
    assert (tmp_path / "seen.csv").read_text() == 'user,count,ips\nalice,2,"1.1.1.1\n3.3.3.3"\nbob,1,2.2.2.2\n'
    assert engine.search("| inputlookup seen.csv").rows == [
        {"user": "alice", "count": "2", "ips": ["1.1.1.1", "3.3.3.3"]}, {"user": "bob", "count": "1", "ips": "2.2.2.2"}]
    assert written == [{"user": "alice", "count": 2, "ips": ["1.1.1.1", "3.3.3.3"]},
                       {"user": "bob", "count": 1, "ips": "2.2.2.2"}]
    engine.search('| makeresults | eval user="carol", count=5 | fields - _time | outputlookup append=t seen')
    assert [r["user"] for r in engine.search("| inputlookup seen").rows] == ["alice", "bob", "carol"]
    assert [p.name for p in tmp_path.iterdir()] == ["seen.csv"]  # no temporary file left behind


def test_outputlookup_with_no_results(engine, tmp_path):
    (tmp_path / "keep.csv").write_text("a\n1\n")
    engine.search("index=main nosuch=1 | outputlookup override_if_empty=false keep.csv")
    assert (tmp_path / "keep.csv").read_text() == "a\n1\n"
    engine.search("index=main nosuch=1 | outputlookup keep.csv")
    assert (tmp_path / "keep.csv").read_text() == "\n"
    engine.search("index=main nosuch=1 | outputlookup create_empty=false never.csv")
    assert not (tmp_path / "never.csv").exists()


def test_inputlookup_append_start_max_and_where(engine, tmp_path):
    (tmp_path / "t.csv").write_text("n,k\n1,a\n2,b\n3,a\n4,a\n")
    assert [r["n"] for r in engine.search("| inputlookup start=1 max=2 t.csv where k=a").rows] == ["3", "4"]
    rows = engine.search("index=main | head 1 | table user | inputlookup append=t t.csv where n>3").rows
    assert rows == [{"user": "alice", "n": None, "k": None}, {"user": None, "n": "4", "k": "a"}]


@pytest.mark.parametrize("name", ["../secret.csv", "..", "/etc/passwd", "sub/x.csv", "a\\b.csv", "..x.csv"])
def test_lookup_names_cannot_leave_the_directory(engine, name):
    for query in (f"| inputlookup {name}", f"index=main | outputlookup {name}", f"index=main | lookup {name} user"):
        with pytest.raises(spl_lite.SplError, match="is not allowed"):
            engine.search(query)


def test_missing_lookup_is_a_clear_error(engine, tmp_path):
    (tmp_path / "users.csv").write_text("user,team\n")
    query = engine.compile("| inputlookup user.csv")  # the data, not the search, is at fault: found at run
    with pytest.raises(spl_lite.SplError) as info:
        query.run()
    assert str(info.value).startswith("Error in 'inputlookup' command: The lookup table 'user.csv' does not exist")
    assert info.value.hint == "did you mean 'users.csv'?"


def test_lookup_output_multivalue_outputnew_and_case(engine, tmp_path):
    (tmp_path / "teams.csv").write_text("user,team\nalice,red\nalice,blue\nBob,green\n")
    rows = engine.search("index=main | lookup teams.csv user OUTPUT team | table user team").rows
    assert rows == [{"user": "alice", "team": ["red", "blue"]}, {"user": "bob", "team": None},
                    {"user": "alice", "team": ["red", "blue"]}]
    rows = engine.search('index=main | eval team="set" | lookup teams.csv user OUTPUTNEW team | table team').rows
    assert [r["team"] for r in rows] == ["set", "set", "set"]
