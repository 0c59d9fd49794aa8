"""The aws:cloudtrail knowledge pack against a real Splunk export with the AWS add-on installed."""
from __future__ import annotations

import csv
from datetime import datetime

import pytest

import spl_lite
from conftest import SHARED, shared_path

# The indexer's bookkeeping, and what depends on how the events were sent to Splunk.
NOT_COMPARED = {"_raw", "_time", "splunk_server", "splunk_server_group", "punct", "timestartpos", "timeendpos",
                "linecount", "index", "host", "source"}


def text(value) -> str:
    if value is None:
        return ""
    return "\n".join(value) if isinstance(value, list) else str(value)


@pytest.fixture(scope="module")
def export_and_ours():
    export = shared_path("data", "attack_data_s3_bucket_deletion.splunk_export.csv")
    engine = spl_lite.Engine()
    engine.load(SHARED / "data" / "attack_data_s3_bucket_deletion.ndjson")
    ours = {}
    for row in engine.search("sourcetype=aws:cloudtrail").rows:
        ours.setdefault(row["eventID"], row)
    return list(csv.DictReader(export.open())), ours


def test_every_field_equals_splunks(export_and_ours):
    export, ours = export_and_ours
    differences = []
    compared = 0
    for srow in export:
        row = ours[srow["eventID"]]
        for name, expected in srow.items():
            if name in NOT_COMPARED:
                continue
            got = row.get(name)
            if name == "eventtype":  # the export writes this multivalue space-separated
                got, expected = text(got).split(), expected.split()
            else:
                got = text(got)
            compared += 1
            if got != expected:
                differences.append((srow["eventName"], name, expected, got))
        # Fields we give that Splunk did not have would be wrong too.
        extra = [n for n, v in row.items() if v is not None and n not in srow and n not in NOT_COMPARED]
        assert extra == [], extra
    assert differences == []
    assert compared == 12 * (len(export[0]) - len(NOT_COMPARED & set(export[0])))


def test_time_matches(export_and_ours):
    export, ours = export_and_ours
    for srow in export:
        assert ours[srow["eventID"]]["_time"] == datetime.fromisoformat(srow["_time"]).timestamp()


def test_addons_off_gives_only_extraction():
    engine = spl_lite.Engine(addons=False)
    engine.load(shared_path("data", "attack_data_s3_bucket_deletion.ndjson"))
    row = engine.search("sourcetype=aws:cloudtrail eventName=DeleteBucket | head 1").rows[0]
    assert "src_ip" not in row and "eventtype" not in row and "errorCode" not in row
    assert row["date_month"] == "february"
