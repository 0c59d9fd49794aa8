"""A search run once reads only the lines holding its literal terms, and answers exactly as
when everything is loaded."""
from __future__ import annotations

import json

import pytest

import spl_lite
from spl_lite.cli import main

SEARCHES = [
    ("eventName=ConsoleLogin additionalEventData.MFAUsed=No | stats count by userIdentity.userName",
     [b"consolelogin"]),
    ('"203.0.113.45" | table eventName', [b"203.0.113.45"]),
    ("EVENTNAME=consolelogin | stats count", [b"consolelogin"]),  # no such field: nothing matches either way
    ("eventname=x OR eventName=ConsoleLogin | stats count", []),  # an OR: no single text is required
    ("errorCode=success | stats count", []),  # the add-on works errorCode out: "success" is not in the text
    ("user=bstoll | stats count", []),  # a calculated field
    ("sourcetype=aws:cloudtrail eventName=Get* | stats count", []),  # wildcards, metadata
    ("eventName=ConsoleLogin | append [search eventName=GetObject] | stats count by eventName", []),
    ("src_ip=203.0.113.45 | stats count", []),  # an alias of sourceIPAddress
    ("userIdentity.userName=web_admin errorCode=AccessDenied | stats count", [b"web_admin"]),
]


LOAD_FIELDS = [  # the fields as extracted that a search run once reads: only those become columns at load
    ("eventName=ConsoleLogin additionalEventData.MFAUsed=No | stats count by userIdentity.userName",
     ["_time", "additionalEventData.MFAUsed", "eventName", "userIdentity.userName"]),
    ("sourcetype=aws:cloudtrail | stats count by errorCode | sort - count",  # the add-on's errorCode reads these
     ["_time", "errorCode", "responseElements.ConsoleLogin", "sourcetype"]),
    ("src_ip=203.0.113.45 | stats count", ["_time", "sourceIPAddress"]),
    ("* | stats count by user", ["_time", "userIdentity.arn", "userIdentity.invokedBy",
                                 "userIdentity.sessionContext.sessionIssuer.userName", "userIdentity.type",
                                 "userIdentity.userName"]),
    ("* | stats count by recipientAccountId, requestParameters.bucketName",  # not among the hot fields
     ["_time", "recipientAccountId", "requestParameters.bucketName"]),
    ("eventName=ConsoleLogin", None),  # events are the output: every field
    ("e*=x | stats count", None),  # a wildcard field name may name any
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    e = spl_lite.Engine()
    e.load_sample()
    lines = [json.dumps(json.loads(ev)) for ev in (r["_raw"] for r in e.search("index=main | table _raw").rows)]
    lines.insert(5, '{"eventName": "ConsoleLogin", broken')  # holds a term: reported with its line
    path = tmp_path_factory.mktemp("pre") / "ct.ndjson"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("search,texts", SEARCHES, ids=[s for s, _ in SEARCHES])
def test_the_texts_a_search_requires(search, texts):
    assert spl_lite.Engine().compile(search).required_text() == texts


@pytest.mark.parametrize("search,texts", SEARCHES, ids=[s for s, _ in SEARCHES])
def test_loading_for_one_search_gives_its_answer(data, search, texts):
    full = spl_lite.Engine(now=1710000000)
    full.load(data)
    once = spl_lite.Engine(now=1710000000)
    query = once.compile(search)
    report = once.load(data, only_for=query)
    assert query.run().rows == full.search(search).rows
    if texts:
        assert report.events < len(full.store)
    if texts == [b"consolelogin"]:
        assert [e.split("/")[-1] for e in report.errors] == ["ct.ndjson:6: malformed JSON (unexpected character, expected a string key)"]


@pytest.mark.parametrize("search,fields", LOAD_FIELDS, ids=[s for s, _ in LOAD_FIELDS])
def test_loading_for_one_search_makes_only_its_columns(data, search, fields):
    from spl_lite.store.hot import HOT_FIELDS
    once = spl_lite.Engine(now=1710000000)
    query = once.compile(search)
    assert (sorted(query.load_fields()) if query.load_fields() is not None else None) == fields
    once.load(data, only_for=query)
    made = set(once.store._raw_columns) - {"_time", "sourcetype"}  # metadata: made on first use
    assert made == set(fields or HOT_FIELDS) - {"_time", "sourcetype"}
    full = spl_lite.Engine(now=1710000000)
    full.load(data)
    assert query.run().rows == full.search(search).rows


def test_the_cli_runs_a_query_on_the_lines_that_hold_its_terms(data, capsys):
    assert main(["query", "eventName=ConsoleLogin | stats count", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    full = spl_lite.Engine()
    full.load(data)
    assert f"{full.search('eventName=ConsoleLogin | stats count').rows[0]['count']}" in out


ODD_LINES = [  # each makes its window take the full parse, or reads the same either way
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "responseElements.ConsoleLogin": "Failure"}',
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "_time": 1700000000, "errorCode": "Timed"}',
    '{"message": "not CloudTrail", "time": 1709640000, "errorCode": "Plain"}',
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "errorCode": "Bad\xff"}',
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "errorCode": 123456789012345678901234567890}',
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "errorCode": null, "errorMessage": ["a", 1]}',
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "errorCode": {"nested": "Obj"}}',
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "errorCode": "Dup", "errorCode": "DupLast"}',
    '{"eventName": "X", "eventTime": "2024-03-05 10:00:00", "errorCode": "IsoTime"}',
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "err\\u006frCode": "Escaped"}',
    '{"eventName": "X", "eventTime": "2024-03-05T10:00:00Z", "errorCode": "x", broken',
    '[1, 2]',
]
PROJECTED = [
    "sourcetype=aws:cloudtrail | stats count by errorCode | sort - count",
    "* | stats count by errorCode, sourcetype",
    "* | stats values(errorMessage) as m dc(eventName) as n by responseElements.ConsoleLogin",
    "* | timechart span=1d count by errorCode",
    "* | stats count by userIdentity.type, awsRegion | sort - count | head 5",
    "* | stats count by recipientAccountId, errorCode",  # a field that is not hot, made at load too
]


@pytest.mark.parametrize("search", PROJECTED)
def test_a_search_run_once_reads_only_its_keys_and_answers_the_same(data, tmp_path, monkeypatch, search):
    from spl_lite.store import line_batches, projection
    monkeypatch.setattr(line_batches, "WINDOW", 4096)  # small windows: most clean, each odd line in its own
    lines = data.read_bytes().splitlines()
    for i, odd in enumerate(ODD_LINES):
        lines.insert(10 + 25 * i, odd.encode("utf-8", "surrogateescape").replace("\xff".encode(), b"\xff"))
    path = tmp_path / "odd.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")
    of = projection.Projection.of
    monkeypatch.setattr(projection.Projection, "of", classmethod(lambda cls, fields: None))
    full = spl_lite.Engine(now=1710000000, limits={"load_workers": 1})  # every line parsed whole
    full_report = full.load(path)
    monkeypatch.setattr(projection.Projection, "of", of)
    projected = []
    read = projection.Projection.read
    monkeypatch.setattr(projection.Projection, "read",
                        lambda self, *a: projected.append(1) or read(self, *a))
    once = spl_lite.Engine(now=1710000000, limits={"load_workers": 1})
    query = once.compile(search)
    report = once.load(path, only_for=query)
    assert projected
    assert (report.events, report.bad_lines, report.errors) == \
        (full_report.events, full_report.bad_lines, full_report.errors)
    assert query.run().rows == full.search(search).rows
