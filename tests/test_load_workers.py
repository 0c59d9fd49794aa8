"""Loading in worker processes gives what one process gives: the same events in the same order,
the same problems with the same file and line, the same counts."""
from __future__ import annotations

import gzip
import json
from unittest import mock

import pytest

import spl_lite
from spl_lite.store import load_workers


def _write_data(tmp_path):
    lines = []
    for i in range(400):
        lines.append(json.dumps({"eventTime": f"2024-03-04T10:{i // 60:02d}:{i % 60:02d}Z", "eventName": f"E{i % 7}",
                                 "userIdentity": {"userName": f"u{i % 5}"}, "n": i, "tags": [f"t{i % 3}"]}))
        if i % 97 == 3:
            lines.append('{"broken": ')  # a malformed line, reported with its line number
    (tmp_path / "big.ndjson").write_text("\n".join(lines) + "\n")
    records = {"Records": [{"eventVersion": "1.08", "eventTime": f"2024-03-05T00:00:{i:02d}Z", "eventName": "R",
                            "userIdentity": {"type": "Root"}} for i in range(30)]}
    with gzip.open(tmp_path / "records.json.gz", "wt") as f:
        json.dump(records, f)
    (tmp_path / "empty.json").write_text("")
    return tmp_path


def _load(path, workers):
    e = spl_lite.Engine(now=1710000000, limits={"load_workers": workers})
    report = e.load(path)
    rows = e.search("index=main | table _time eventName userIdentity.userName user n _raw source").rows
    return report, rows


def test_workers_load_what_one_process_loads(tmp_path):
    data = _write_data(tmp_path)
    one_report, one_rows = _load(data, 1)
    with mock.patch.object(load_workers, "PARALLEL_BYTES", 1), mock.patch.object(load_workers, "RANGE_BYTES", 4096):
        assert load_workers.plan([("big", data / "big.ndjson", None)], 2)[0][0] == "range"
        two_report, two_rows = _load(data, 2)
    assert two_rows == one_rows
    assert len(one_rows) == 430
    for field in ("files", "events", "errors", "bad_lines", "bad_files", "bytes", "skipped_files"):
        assert getattr(two_report, field) == getattr(one_report, field), field
    assert [e.split("/")[-1] for e in two_report.errors] == [
        f"big.ndjson:{n}: malformed JSON (unexpected end of data)" for n in (5, 103, 201, 299, 397)]


def test_workers_use_this_spl_lite_whatever_folder_they_run_in(tmp_path, monkeypatch):
    """Run from a folder holding another spl_lite (a checkout of another version), the workers
    still read their parts with the engine's own code."""
    (tmp_path / "data").mkdir()
    data = _write_data(tmp_path / "data")
    one_report, one_rows = _load(data, 1)
    other = tmp_path / "elsewhere" / "spl_lite"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("raise ImportError('another spl_lite')\n")
    monkeypatch.chdir(other.parent)
    with mock.patch.object(load_workers, "PARALLEL_BYTES", 1), mock.patch.object(load_workers, "RANGE_BYTES", 4096):
        two_report, two_rows = _load(data, 2)
    assert two_rows == one_rows and two_report.errors == one_report.errors


def test_small_loads_stay_in_one_process(tmp_path):
    data = _write_data(tmp_path)
    assert load_workers.plan([("big", data / "big.ndjson", None)], 2) is None


def test_a_worker_that_stops_is_a_clean_error(tmp_path):
    data = _write_data(tmp_path)
    with mock.patch.object(load_workers, "PARALLEL_BYTES", 1), \
            mock.patch.object(load_workers.sys, "executable", "/bin/false"):
        with pytest.raises(spl_lite.SplError) as e:
            _load(data, 2)
    assert e.value.headline == "A loading worker process stopped before it was done (its error is above, if any)."


def test_a_file_cut_short_while_a_worker_maps_it_is_named(tmp_path):
    """A worker maps its range of the file; a file cut shorter meanwhile stops it (SIGBUS),
    which reads as the file having changed, not as a worker's failure. Here the 'worker'
    truncates the file and stops, as a log rotated by copytruncate would."""
    data = _write_data(tmp_path)
    worker = tmp_path / "worker.sh"
    worker.write_text(f"#!/bin/sh\ntruncate -s 100 '{data / 'big.ndjson'}'\nexit 1\n")
    worker.chmod(0o755)
    with mock.patch.object(load_workers, "PARALLEL_BYTES", 1), mock.patch.object(load_workers, "RANGE_BYTES", 4096), \
            mock.patch.object(load_workers.sys, "executable", str(worker)):
        with pytest.raises(spl_lite.SplError) as e:
            _load(data / "big.ndjson", 2)
    assert e.value.headline == f"{data / 'big.ndjson'} changed while it was being loaded: load it again."


def test_a_search_run_once_reads_the_text_only_when_it_needs_it(tmp_path):
    data = _write_data(tmp_path)
    path = data / "big.ndjson"
    search = "index=main | stats count by tags{} | sort - count"  # an array's values: read from the text
    full = spl_lite.Engine(now=1710000000, limits={"load_workers": 1})
    full.load(path)
    with mock.patch.object(load_workers, "PARALLEL_BYTES", 1), mock.patch.object(load_workers, "RANGE_BYTES", 4096):
        once = spl_lite.Engine(now=1710000000, limits={"load_workers": 2})
        query = once.compile(search)
        once.load(path, only_for=query)
        assert "FileText" in {type(b).__name__ for b in once.store._buffers}  # not read at load
        assert query.run().rows == full.search(search).rows
        assert "FileText" not in {type(b).__name__ for b in once.store._buffers}
        changed = spl_lite.Engine(now=1710000000, limits={"load_workers": 2})
        query = changed.compile(search)
        changed.load(path, only_for=query)
        with open(path, "a") as f:
            f.write('{"eventName": "Late"}\n')
        with pytest.raises(spl_lite.SplError, match="changed after it was loaded: load it again"):
            query.run()
