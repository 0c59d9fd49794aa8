"""Loading: every input layout, digest files skipped, bad lines reported and skipped."""
from __future__ import annotations

import csv
import gzip
import json

import orjson
import pytest

import spl_lite
from conftest import SHARED, shared_path

RECORD = {"eventVersion": "1.09", "eventTime": "2024-03-04T10:00:00Z", "eventSource": "s3.amazonaws.com",
          "eventName": "GetObject", "awsRegion": "us-east-1", "userIdentity": {"type": "IAMUser", "userName": "a"}}


def rec(**kw):
    return {**RECORD, **kw}


def names(engine):
    return [r["eventName"] for r in engine.search("index=main | table eventName").rows]


def test_ndjson_bad_line_is_reported_counted_and_skipped(tmp_path):
    f = tmp_path / "trail.ndjson"
    f.write_text(json.dumps(rec(eventName="A")) + "\n{not json\n\n" + json.dumps(rec(eventName="B")) + "\n[1]\n")
    engine = spl_lite.Engine()
    report = engine.load(f)
    assert (report.events, report.bad_lines, report.files) == (2, 2, 1)
    assert report.errors[0].startswith(f"{f}:2: malformed JSON")
    assert report.errors[1] == f"{f}:5: not a JSON object"
    assert sorted(names(engine)) == ["A", "B"]


def test_records_gzip_json_array_and_digest(tmp_path):
    (tmp_path / "a.json.gz").write_bytes(gzip.compress(orjson.dumps({"Records": [rec(eventName="A"), rec(eventName="B")]})))
    (tmp_path / "b.json").write_bytes(orjson.dumps([rec(eventName="C")]))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.json").write_bytes(orjson.dumps(rec(eventName="D")))
    digest = {"awsAccountId": "1", "digestPublicKeyFingerprint": "x", "logFiles": []}
    (tmp_path / "sub" / "1_CloudTrail-Digest_us-east-1_x.json.gz").write_bytes(gzip.compress(orjson.dumps(digest)))
    engine = spl_lite.Engine()
    report = engine.load(tmp_path)
    assert report.events == 4
    assert report.skipped_files == [str(tmp_path / "sub" / "1_CloudTrail-Digest_us-east-1_x.json.gz")]
    assert sorted(names(engine)) == ["A", "B", "C", "D"]


def test_glob_and_missing_path(tmp_path):
    (tmp_path / "x.ndjson").write_text(json.dumps(rec()) + "\n")
    engine = spl_lite.Engine()
    assert engine.load(str(tmp_path / "*.ndjson")).events == 1
    with pytest.raises(FileNotFoundError):
        engine.load(str(tmp_path / "nothing*.json"))


def test_default_fields_and_time(tmp_path):
    f = tmp_path / "t.ndjson"
    f.write_text(json.dumps(rec()) + "\n" + json.dumps({"msg": "hi", "timestamp": "2024-03-04T10:00:01Z"}) + "\n")
    engine = spl_lite.Engine()
    engine.load(f)
    rows = engine.search("index=main | table _time index sourcetype source host").rows
    assert rows == [
        {"_time": 1709546401, "index": "main", "sourcetype": "json", "source": str(f), "host": "localhost"},
        {"_time": 1709546400, "index": "main", "sourcetype": "aws:cloudtrail", "source": str(f), "host": "localhost"},
    ]
    engine2 = spl_lite.Engine()
    engine2.load(f, sourcetype="custom", index="aws")
    assert engine2.search("index=aws sourcetype=custom | stats count").rows == [{"count": 2}]


def test_raw_is_the_line_as_written(tmp_path):
    line = '{"eventName": "A",   "eventTime": "2024-03-04T10:00:00Z"}'
    (tmp_path / "r.ndjson").write_text(line + "\n")
    engine = spl_lite.Engine()
    engine.load(tmp_path / "r.ndjson")
    assert engine.search("A").rows[0]["_raw"] == line


def test_add_events_time_key_is_not_in_raw():
    engine = spl_lite.Engine()
    engine.add_events([{"_time": 100, "a": 1}], index="x", sourcetype="json", host="h", source="s")
    row = engine.search("index=x").rows[0]
    assert row == {"_time": 100, "a": "1", "host": "h", "index": "x", "source": "s", "sourcetype": "json",
                   "_raw": '{"a":1}'}


def test_every_shared_event_loads():
    data = shared_path("data")
    engine = spl_lite.Engine()
    report = engine.load(data / "*.ndjson")
    report.merge(engine.load(data / "s3_records"))
    assert report.errors == []
    expected = sum(1 for f in data.glob("*.ndjson") for line in f.read_text().splitlines() if line.strip())
    s3 = sum(len(json.loads(f.read_text())["Records"]) for f in (data / "s3_records").glob("*.json"))
    assert report.events == expected + s3
    assert len(engine.search("sourcetype=aws:cloudtrail").rows) == report.events


def test_json_extraction_equals_splunk_export():
    """Every field of Splunk's JSON extraction, for the 12 events of the real Splunk export."""
    export = shared_path("data", "attack_data_s3_bucket_deletion.splunk_export.csv")
    engine = spl_lite.Engine(addons=False)
    engine.load(SHARED / "data" / "attack_data_s3_bucket_deletion.ndjson")
    ours = {r["eventID"]: r for r in engine.search("sourcetype=aws:cloudtrail").rows}
    splunk_rows = list(csv.DictReader(export.open()))
    # The export (like the NDJSON beside it) holds 3 events twice: 12 rows, 9 distinct eventIDs.
    assert len(splunk_rows) == len(engine.search("sourcetype=aws:cloudtrail").rows) == 12
    assert len(ours) == 9
    compared = 0
    for srow in splunk_rows:
        row = ours[srow["eventID"]]
        raw_keys = {k for k in srow if k in row or "." in k or "{" in k}
        for key in raw_keys:
            if key.startswith("_") or key in ("index", "source", "sourcetype", "host"):
                continue
            value = row.get(key)
            text = "\n".join(value) if isinstance(value, list) else ("" if value is None else str(value))
            if key in row or srow[key]:
                assert text == srow[key], key
                compared += 1
    assert compared > 450


def _mixed_ndjson() -> bytes:
    """Windows of ordinary CloudTrail lines between windows holding each thing the window
    reader leaves to the line reader."""
    ordinary = [orjson.dumps(rec(eventName=f"E{i}", eventTime=f"2024-02-{1 + i % 29:02d}T{i % 24:02d}:{i % 60:02d}:"
                                 f"{i % 60:02d}Z", errorCode="Denied" if i % 7 == 0 else None))
                for i in range(3000)]
    unusual = [b"", b"   ", orjson.dumps(rec(eventName="Two")) + orjson.dumps(rec(eventName="OnALine")),
               b'{"eventName": "Over", "eventTime": "2024-02-01T00:00:00Z",\n"x": {"two": "lines"}}',
               orjson.dumps(rec(eventName="Spaced")) + b"  ", b"{not json", b"[1]", orjson.dumps(rec(eventName="T", _time=1700000000)),
               orjson.dumps(rec(eventName="ISO", eventTime="2024-03-04T10:00:00.123Z")),
               orjson.dumps({"eventName": "NoTime"}), orjson.dumps({"message": "not CloudTrail", "time": 1.7e9}),
               orjson.dumps(rec(eventName="CR")) + b"\r", orjson.dumps(rec(eventName="Leap", eventTime="2023-02-29T00:00:00Z"))]
    lines = []
    for i, line in enumerate(ordinary):
        lines.append(line)
        if i % 500 == 250:
            lines.append(unusual[(i // 500) % len(unusual)])
            lines += unusual[i // 500 * 2: i // 500 * 2 + 2]
    return b"\n".join(lines)  # no newline after the last line


@pytest.mark.parametrize("window", [300, 4096, 1 << 20])
def test_windows_of_lines_load_as_each_line_does(tmp_path, monkeypatch, window):
    from spl_lite.store import line_batches, records
    f = tmp_path / "mixed.ndjson"
    f.write_bytes(_mixed_ndjson())
    query = "index=* | eval t=_time | table _time t eventName errorCode sourcetype userIdentity.userName _raw"

    def loaded(window_bytes):
        monkeypatch.setattr(line_batches, "WINDOW", window_bytes)
        engine = spl_lite.Engine(limits={"load_workers": 1})
        report = engine.load(f)
        return report.events, report.bad_lines, report.errors, engine.search(query).rows

    batched = loaded(window)
    monkeypatch.setattr(records, "line_batches", lambda data, start, stop, origins, time, one_by_one, projection:
                        one_by_one(start, stop, 0))
    one_by_one = loaded(window)  # the line reader alone
    assert batched == one_by_one
    assert one_by_one[0] > 3000 and one_by_one[1] > 0


def test_window_times_are_the_single_time_rule():
    import random
    from spl_lite.store.line_batches import cloudtrail_times
    from spl_lite.store.records import cloudtrail_time
    rng = random.Random(7)
    stamps = [f"{rng.choice([1900, 1970, 2000, 2024, 2100, rng.randint(1900, 2999)]):04d}-{rng.randint(1, 12):02d}-"
              f"{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
              for _ in range(5000)] + ["2024-02-29T00:00:00Z", "2000-02-29T12:00:00Z", "2024-12-31T23:59:59Z"]
    assert list(cloudtrail_times(stamps)) == [cloudtrail_time(s) for s in stamps]
    for odd in ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01 00:00:00Z",
                "2024-01-01T00:00:00.5", "2024-01-0１T00:00:00Z"]:
        assert cloudtrail_times(stamps[:3] + [odd]) is None  # left to the rule for one time


PROJECTION_ODDITIES = [  # shapes along the columns' paths, one a line, read as the full parse reads them
    rec(errorMessage=None),
    rec(eventSource=5),
    rec(awsRegion=True),
    rec(userIdentity={"type": ["a", "b"]}),
    rec(userIdentity={"type": "Root", "sessionContext": None}),
    rec(userIdentity={"type": "Root", "sessionContext": {"sessionIssuer": {"userName": "si"}}}),
    rec(userIdentity={"type": "Root", "sessionContext": {"sessionIssuer.userName": "dotted-inside"}}),
    {**rec(userIdentity={"type": "IAMUser"}), "userIdentity.userName": "dotted-top"},
    rec(userIdentity=None, requestParameters=None),
    rec(responseElements="text"),
    rec(requestParameters={"roleArn": {"nested": 1}}),
    rec(requestParameters={"sourceIdentity": None}),
    rec(additionalEventData={"MFAUsed": "No"}, responseElements={"ConsoleLogin": "Success"}),
    rec(userAgent="caf\u00e9 \u2603"),
    rec(userIdentity=[{"type": "x"}]),
]


def test_columns_made_at_load_are_the_same_projected(tmp_path, monkeypatch):
    """Every column made at load, over real CloudTrail events and odd shapes: read by the
    projection (typed decoding of only the columns' paths) and parsed whole."""
    from spl_lite.store import line_batches, projection
    from spl_lite.store.hot import HOT_FIELDS
    monkeypatch.setattr(line_batches, "WINDOW", 2048)  # the odd lines' windows fall back, the rest not
    real = [line for name in ("panther_analysis_rule_tests.ndjson", "elastic_integrations_cloudtrail_pipeline_tests.ndjson",
                              "awsdocs_cloudtrail_user_guide_examples.ndjson")
            for line in shared_path("data", name).read_bytes().splitlines() if line.strip()]
    odd = [orjson.dumps(r) for r in PROJECTION_ODDITIES]
    lines = [x for i, line in enumerate(real) for x in ([line] + ([odd[i // 40 % len(odd)]] if i % 40 == 0 else []))]
    path = tmp_path / "real.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")
    query = "index=* | table _time sourcetype " + " ".join(HOT_FIELDS)

    def loaded():
        engine = spl_lite.Engine(limits={"load_workers": 1})
        report = engine.load(path)
        return report.events, report.errors, engine.search(query).rows

    read = projection.Projection.read
    projected = []
    monkeypatch.setattr(projection.Projection, "read",
                        lambda self, *a: (lambda r: projected.append(r is not None) or r)(read(self, *a)))
    with_projection = loaded()
    assert True in projected and False in projected  # both ways were taken
    monkeypatch.setattr(projection.Projection, "of", classmethod(lambda cls, fields: None))
    assert with_projection == loaded()
