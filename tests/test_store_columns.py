"""The columnar store gives what the event-by-event code gives, on events made to trip it:
keys holding dots (also where a hot field's path runs), escaped keys, JSON null, numbers,
arrays, a field missing everywhere, events added after a search."""
from __future__ import annotations

from unittest import mock

import pytest

import spl_lite

EVENTS = [
    {"_time": 1, "eventName": "A", "userIdentity.userName": "dotted-top", "a": {"b.c": "y"}},
    {"_time": 2, "eventName": "B", "userIdentity": {"userName": None, "type": "IAMUser"}, "readOnly": True},
    {"_time": 3, "eventName": "a", "userIdentity": {"sessionContext.sessionIssuer": {"userName": "deep"}}},
    {"_time": 4, "eventName": 7, "userIdentity": ["not", "a", "dict"], "errorCode": None},
    {"_time": 5, "eventName": "C", "additionalEventData": "text", "responseElements": {"ConsoleLogin": 1}},
    {"_time": 6, "eventName": ["x", "y"], "userIdentity": {"userName": "u", "arn": "arn:aws:iam::1:user/u"}},
]
QUERIES = [
    "index=main | stats count by userIdentity.userName",
    "index=main | stats count by userIdentity.sessionContext.sessionIssuer.userName",
    "index=main | stats count by eventName, readOnly",
    "index=main | stats count by errorCode",
    "index=main | stats count by responseElements.ConsoleLogin, additionalEventData.MFAUsed",
    "index=main | stats count by a.b.c",
    "index=main eventName=a | table eventName userIdentity.type",
    "index=main userIdentity.userName=* | table userIdentity.userName",
    "index=main | stats count by nosuchfield",
    "index=main | stats dc(userName) as users, values(user) as u by sourcetype",
    "index=main | sort 0 eventName | table eventName",
    "index=main | dedup eventName | table eventName",
    "index=main errorCode=success | stats count by action",
    "* | stats count by eventName",
    "* earliest=0 | stats count by eventName",
    "* NOT eventName=A | stats count by eventName",
    # eval's null hides the events' own value, in the stats and in the rows given out
    'index=main | eval eventName=if(eventName="A", null(), eventName) | stats count by eventName',
    'index=main | eval eventName=if(eventName="A", null(), eventName) | table _time eventName',
    'index=main | eval eventName=if(eventName="A", null(), eventName) | sort 0 _time',
    'index=main | eval errorCode=null() | stats count by errorCode, eventName',
    'index=main | eval x=1 | eval x=if(eventName="B", null(), x) | stats count by x',
]


@pytest.fixture(scope="module")
def engine():
    e = spl_lite.Engine(now=10)  # with the add-on: its fields are columns too
    e.add_events(EVENTS[:3])
    e.search("index=main | stats count by eventName")  # a search before more events arrive
    e.add_events(EVENTS[3:])
    return e


@pytest.mark.parametrize("query", QUERIES)
def test_columns_equal_the_event_by_event_answer(engine, query):
    with_columns = engine.search(query).rows
    with mock.patch.object(engine.executor, "columnar", False):  # the executor's reference path
        by_event = engine.search(query).rows
    assert with_columns == by_event


def test_a_bare_star_parses_no_event(engine):
    """'* | stats ...' takes every event: its columns answer, no event is parsed for the test."""
    expected = engine.search("index=main | stats count by eventName").rows
    with mock.patch.object(type(engine.store), "event", side_effect=AssertionError("an event was parsed")):
        assert engine.search("* | stats count by eventName").rows == expected


def test_a_search_that_keeps_few_events_reads_their_fields_only():
    """A field with no column yet is read from the few events a search kept (under 1/64 of
    them), not made into a column of every event; the answer is the event-by-event one."""
    e = spl_lite.Engine(now=10)
    e.add_events([{"_time": i, "eventName": "Rare" if i % 100 == 0 else "Common", "requestID": f"r{i % 7}",
                   "tags": [f"t{i % 3}", "all"]} for i in range(1000)])
    search = "eventName=Rare | stats count by requestID, tags{} | sort requestID, tags{}"
    rows = e.search(search).rows
    assert e.store.cached_column("requestID") is None and e.store.cached_column("tags{}") is None
    with mock.patch.object(e.executor, "columnar", False):  # the executor's reference path
        assert rows == e.search(search).rows
    assert len(rows) == 17 and sum(r["count"] for r in rows) == 20  # 10 events, 2 tags each
    e.search("index=main | stats count by requestID")  # most events: the column is made
    assert e.store.cached_column("requestID") is not None


def test_a_column_made_on_first_use_covers_events_added_later():
    e = spl_lite.Engine(addons=False)
    e.add_events([{"_time": 1, "requestParameters": {"keyName": "a"}}])
    assert e.search("index=main | stats count by requestParameters.keyName").rows == [
        {"requestParameters.keyName": "a", "count": 1}]
    e.add_events([{"_time": 2, "requestParameters": {"keyName": "b"}}])
    assert e.search("index=main | stats count by requestParameters.keyName").rows == [
        {"requestParameters.keyName": "a", "count": 1}, {"requestParameters.keyName": "b", "count": 1}]


def test_an_escaped_key_is_found(tmp_path):
    data = tmp_path / "esc.ndjson"
    data.write_bytes(b'{"eventTime":"2024-01-01T00:00:00Z","\\u0063af":"z"}\n'
                     b'{"eventTime":"2024-01-01T00:00:01Z","x":"1"}\n')
    e = spl_lite.Engine()
    e.load(data)
    assert e.search("index=main | stats count by caf").rows == [{"caf": "z", "count": 1}]


def test_the_store_holds_the_text_and_a_few_arrays_per_event():
    e = spl_lite.Engine()
    e.load_sample()
    store = e.store
    n = len(store)
    text = sum(len(b) for b in store._buffers)
    arrays = sum(a.nbytes for a in (store._time, store._buf, store._start, store._end, store._origin))
    codes = sum(c.codes.nbytes for c in store._raw_columns.values())
    assert text <= 1.01 * e.load_report.bytes  # the files' text, once
    assert (arrays + codes) / n <= 150  # 32 bytes of offsets and time, 4 per column at load


def _bench_hunts():
    from conftest import SHARED
    import json
    path = SHARED / "bench" / "hunts.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


@pytest.fixture(scope="module")
def sample():
    e = spl_lite.Engine(now=1710000000)
    e.load_sample()
    return e


@pytest.mark.parametrize("hunt", _bench_hunts(), ids=lambda h: h["name"])
def test_the_benchmark_hunts_give_the_event_by_event_answer(sample, hunt):
    """The hunts the README's performance table times, on the sample data, columns on and off."""
    with_columns = sample.search(hunt["spl"]).rows
    with mock.patch.object(sample.executor, "columnar", False):  # the executor's reference path
        by_event = sample.search(hunt["spl"]).rows
    assert with_columns == by_event
    # The sample has no arn with 1,000 events, nor 203.0.113.7 or .45: those hunts find nothing here.
    assert with_columns or hunt["name"] in ("H6_streamstats", "H7_freetext", "Q5")


def _spath_events():
    """Every shape a path can hold: text, an object, an array, null, a number, a boolean,
    missing, and an array of objects along the way."""
    shapes = {1: {"arn": {"nested": 1}}, 2: {"arn": [1, "x"]}, 3: None, 4: {"arn": None}, 5: {"arn": 12.50},
              6: [{"arn": "in-list"}, {"arn": "in-list-2"}], 7: {"arn": True}, 8: {"arn": ""}}
    out = []
    for i in range(3000):
        ev = {"_time": i, "eventName": f"E{i % 5}", "userIdentity": {"arn": f"arn{i % 7}", "type": "IAMUser"}}
        if i % 50 in shapes:
            ev["userIdentity"] = shapes[i % 50]
            if ev["userIdentity"] is None:
                del ev["userIdentity"]
        out.append(ev)
    return out


SPATH_QUERIES = [
    "index=main | spath output=arn path=userIdentity.arn | stats count by arn",
    "index=main | spath path=userIdentity.arn | stats count by userIdentity.arn",
    "index=main | spath userIdentity.arn | table userIdentity.arn | head 60",
    "index=main | spath output=eventName path=userIdentity.arn | stats count by eventName",
    "index=main | spath output=x path=userIdentity | stats count by x",
    "index=main | spath output=t path=userIdentity.type | stats count by t, eventName",
    "index=main eventName=E1 | spath output=arn path=userIdentity.arn | dedup arn | table arn",
]


@pytest.mark.parametrize("query", SPATH_QUERIES)
def test_spath_a_column_at_a_time_gives_the_event_by_event_answer(query):
    from spl_lite.commands import spath
    e = spl_lite.Engine(now=10)
    e.add_events(_spath_events())
    taken = []
    real = spath.spath_selection
    with mock.patch.object(spath, "spath_selection", lambda *a: taken.append(real(*a)) or taken[-1]):
        with_columns = e.search(query).rows
    with mock.patch.object(e.executor, "columnar", False):  # the executor's reference path
        by_event = e.search(query).rows
    assert with_columns == by_event
    # By columns, except where a null would hide the events' own eventName.
    assert (taken[0] is None) == ("output=eventName" in query)


def test_spath_reads_each_event_where_a_dotted_key_could_be_the_path():
    from spl_lite.commands import spath
    e = spl_lite.Engine(now=10)
    e.add_events(_spath_events() + [{"_time": 5000, "userIdentity.arn": "dotted", "eventName": "D"}])
    taken = []
    real = spath.spath_selection
    with mock.patch.object(spath, "spath_selection", lambda *a: taken.append(real(*a)) or taken[-1]):
        rows = e.search("index=main | spath output=arn path=userIdentity.arn | stats count by arn").rows
    assert taken == [None]
    assert "dotted" not in {r["arn"] for r in rows}  # spath reads keys, not a key with a dot


def test_spath_is_worked_out_once_per_load():
    e = spl_lite.Engine(now=10)
    e.add_events([ev for ev in _spath_events() if type(ev.get("userIdentity")) is not list])  # no multivalue
    search = "index=main | spath output=arn path=userIdentity.arn | stats count by arn"
    first = e.search(search).rows
    with mock.patch.object(type(e.store), "event", side_effect=AssertionError("an event was parsed")):
        assert e.search(search).rows == first
    e.add_events([{"_time": 9999, "userIdentity": {"arn": {"late": 1}}}])  # a new load: worked out again
    assert {"arn": '{"late":1}', "count": 1} in e.search(search).rows


@pytest.mark.parametrize("query", ["* | eval x=tonumber(v) | stats count dc(x) values(x) by x",
                                   "* | eval x=tonumber(v) | top x",
                                   "* | eval x=tonumber(v) | timechart span=1h count by x",
                                   "* | eval x=tonumber(v) | stats dc(x) as d"])
def test_numbers_that_are_one_value_are_one_group_a_column_at_a_time(query):
    # "+5", "5." and "5" give 5, 5.0 and 5: one group, as event by event (the column keeps 5 and
    # 5.0 apart for display only). Two groups "5" were given a column at a time before.
    e = spl_lite.Engine(now=1, addons=False)
    e.add_events([{"v": v, "_time": 100} for v in ("+5", "5.", "5")], sourcetype="json")
    by_columns = e.search(query).rows
    with mock.patch.object(e.executor, "columnar", False):  # the executor's reference path
        by_events = e.search(query).rows
    assert by_columns == by_events
    assert len(by_columns) == 1


def test_the_event_path_is_an_executor_option_and_reads_no_column():
    # Issue 19: no module-global switch; the memory executor hands commands a Selection (so
    # they read columns) only when it runs them a column at a time.
    from spl_lite.store.selection import Selection
    search = "index=main | eval n=len('userIdentity.type') | where n>1 | stats count by readOnly, n | sort n"
    by_columns = spl_lite.Engine(addons=False)
    by_columns.add_events(EVENTS)
    by_events = spl_lite.Engine(addons=False, engine_options={"columnar": False})
    by_events.add_events(EVENTS)
    with mock.patch.object(Selection, "columns", side_effect=AssertionError("a column was read")):
        rows = by_events.search(search).rows
    read, columns_of = [], Selection.columns
    with mock.patch.object(Selection, "columns", lambda self, *a: read.append(a) or columns_of(self, *a)):
        assert by_columns.search(search).rows == rows == [{"readOnly": "true", "n": 7, "count": 1}]
    assert read  # the same search, a column at a time
    with pytest.raises(TypeError, match="engine_options' columnar takes True or False, not 'no'"):
        spl_lite.Engine(engine_options={"columnar": "no"})
