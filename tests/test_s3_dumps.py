"""CloudTrail S3 dumps: the AWSLogs layout, digest files, pruning by date, zips, duplicates."""
from __future__ import annotations

import gzip
import subprocess
import sys
import zipfile

import orjson

import spl_lite

ACCOUNT = "111122223333"


def record(event_id: str, when: str, region: str) -> dict:
    return {"eventVersion": "1.09", "eventID": event_id, "eventTime": when, "eventName": "GetObject",
            "eventSource": "s3.amazonaws.com", "awsRegion": region}


def write_tree(root):
    """Two regions over three days, and a digest file."""
    base = root / "AWSLogs" / ACCOUNT / "CloudTrail"
    days = [("2024", "03", "01"), ("2024", "03", "02"), ("2024", "03", "05")]
    n = 0
    for region in ("us-east-1", "eu-west-1"):
        for y, m, d in days:
            folder = base / region / y / m / d
            folder.mkdir(parents=True)
            n += 1
            records = [record(f"id-{n}-{i}", f"{y}-{m}-{d}T12:00:0{i}Z", region) for i in range(2)]
            name = f"{ACCOUNT}_CloudTrail_{region}_{y}{m}{d}T1200Z_x{n}.json.gz"
            (folder / name).write_bytes(gzip.compress(orjson.dumps({"Records": records})))
    digest = root / "AWSLogs" / ACCOUNT / "CloudTrail-Digest" / "us-east-1" / "2024" / "03" / "01"
    digest.mkdir(parents=True)
    (digest / f"{ACCOUNT}_CloudTrail-Digest_us-east-1_x.json.gz").write_bytes(
        gzip.compress(orjson.dumps({"digestPublicKeyFingerprint": "f", "logFiles": []})))
    return root


def test_tree_with_digest_and_two_regions(tmp_path):
    root = write_tree(tmp_path)
    engine = spl_lite.Engine()
    report = engine.load(root)
    assert (report.events, report.files, len(report.skipped_files)) == (12, 6, 1)
    assert report.accounts == {ACCOUNT} and report.regions == {"us-east-1", "eu-west-1"}
    assert engine.search("sourcetype=aws:cloudtrail | stats count by awsRegion").rows == [
        {"awsRegion": "eu-west-1", "count": 6}, {"awsRegion": "us-east-1", "count": 6}]


def test_pruned_by_earliest(tmp_path):
    root = write_tree(tmp_path)
    engine = spl_lite.Engine(now=1709856000)  # 2024-03-08
    earliest, latest = engine.compile("earliest=-4d@d | stats count").time_range()
    report = engine.load(root, earliest=earliest, latest=latest)
    # Only the files of 03-05 can hold events after 03-04; the others are not even read.
    assert (report.events, report.pruned_files) == (4, 4)
    assert engine.search("earliest=-4d@d | stats count").rows == [{"count": 4}]


def test_cli_prunes_by_the_search_time_range(tmp_path):
    root = write_tree(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "spl_lite", "query", "earliest=03/04/2024:00:00:00 | stats count",
                           "--data", str(root), "--format", "csv"], capture_output=True, text=True)
    assert proc.stdout == "count\n4\n"


def test_zip_of_a_dump_and_duplicate_events(tmp_path):
    root = write_tree(tmp_path / "tree")
    archive = tmp_path / "dump.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(root.rglob("*.json.gz")):
            zf.write(f, f.relative_to(root))
    engine = spl_lite.Engine(dedup_events=True)
    first = engine.load(archive)
    again = engine.load(root)  # the same events, copied: dropped by eventID
    assert (first.events, first.files, len(first.skipped_files)) == (12, 6, 1)
    assert (again.events, again.duplicates) == (0, 12)
    assert engine.search("index=main | stats count").rows == [{"count": 12}]
