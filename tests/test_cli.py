"""The spl-lite command line: formats, exit codes, stderr for errors and bad data."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from spl_lite.cli import main

EVENTS = [
    {"eventName": "A", "eventTime": "2024-03-04T10:00:00Z", "tags": ["x", "y"], "user": "u1"},
    {"eventName": "B", "eventTime": "2024-03-04T09:00:00Z", "tags": ["z"], "user": "u2"},
]


def data(tmp_path, bad_line=False):
    f = tmp_path / "events.ndjson"
    lines = [json.dumps(e) for e in EVENTS]
    if bad_line:
        lines.insert(1, "{oops")
    f.write_text("\n".join(lines) + "\n")
    return str(f)


def run(capsys, *argv):
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_formats(tmp_path, capsys):
    path = data(tmp_path)
    q = "index=main | table eventName tags"
    status, out, _ = run(capsys, "query", q, "--data", path, "--format", "json")
    assert status == 0
    # "tags" is an array, so its field is "tags{}": "tags" itself is an empty column.
    assert json.loads(out) == [{"eventName": "A", "tags": None}, {"eventName": "B", "tags": None}]
    q = "index=main | table eventName tags{}"
    _, out, _ = run(capsys, "query", q, "--data", path, "--format", "json")
    assert json.loads(out) == [{"eventName": "A", "tags{}": ["x", "y"]}, {"eventName": "B", "tags{}": "z"}]
    _, out, _ = run(capsys, "query", q, "--data", path, "--format", "ndjson")
    assert out.splitlines() == ['{"eventName":"A","tags{}":["x","y"]}', '{"eventName":"B","tags{}":"z"}']
    _, out, _ = run(capsys, "query", q, "--data", path, "--format", "csv")
    assert list(csv.reader(io.StringIO(out))) == [["eventName", "tags{}"], ["A", "x\ny"], ["B", "z"]]
    _, out, _ = run(capsys, "query", q, "--data", path)
    assert out == "eventName    tags{}\n-----------  --------\nA            x\n             y\nB            z\n"


def test_time_renders_readably_in_tables(tmp_path, capsys):
    _, out, _ = run(capsys, "query", "index=main | head 1 | table _time", "--data", data(tmp_path))
    assert out.splitlines()[2] == "2024-03-04 10:00:00"


def test_query_error_goes_to_stderr_with_status_1(tmp_path, capsys):
    status, out, err = run(capsys, "query", "index=main | stats count by", "--data", data(tmp_path))
    assert (status, out) == (1, "")
    assert err.startswith("Error in 'stats' command: The search ends too early.")
    assert err.splitlines()[-1].endswith("^")


def test_bad_data_line_is_reported_and_the_rest_loads(tmp_path, capsys):
    path = data(tmp_path, bad_line=True)
    status, out, err = run(capsys, "query", "index=main | stats count", "--data", path, "--format", "csv")
    assert (status, out) == (0, "count\n2\n")
    assert err.startswith(f"warning: {path}:2: malformed JSON")


def test_usage_errors_exit_2(tmp_path, capsys):
    status, _, err = run(capsys, "query", "x", "--data", str(tmp_path / "missing.json"))
    assert status == 2 and "No such file" in err
    assert subprocess.run([sys.executable, "-m", "spl_lite", "query"], capture_output=True).returncode == 2
    assert subprocess.run([sys.executable, "-m", "spl_lite", "bogus"], capture_output=True).returncode == 2


def test_run_spl_files(tmp_path, capsys):
    f = tmp_path / "hunt.spl"
    f.write_text("# Count by name\n# (a description)\nindex=main ```a comment```\n| stats count by eventName\n")
    status, out, _ = run(capsys, "run", str(f), "--data", data(tmp_path), "--format", "csv")
    assert (status, out) == (0, "eventName,count\nA,1\nB,1\n")
    g = tmp_path / "bad.spl"
    g.write_text("index=main | stast x\n")
    status, out, err = run(capsys, "run", str(f), str(g), "--data", data(tmp_path))
    assert status == 1
    assert out.startswith(f"== {f}\n") and f"== {g}" in out
    assert "did you mean 'stats'" in err


def test_bundled_sample_is_the_default(capsys):
    status, out, _ = run(capsys, "query", "| makeresults | eval n=1 | table n", "--format", "csv")
    assert (status, out) == (0, "n\n1\n")
    status, out, _ = run(capsys, "query", "sourcetype=aws:cloudtrail | stats count", "--format", "csv")
    assert out == "count\n3000\n"


def test_repl_plain_prompt(tmp_path):
    script = "index=main |\n stats count\n.quit\n"
    proc = subprocess.run([sys.executable, "-m", "spl_lite", "repl", "--data", data(tmp_path)], input=script,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "count\n-------\n2" in proc.stdout


def test_knowledge_macro_lookup_and_dedup_flags(tmp_path, capsys):
    path = data(tmp_path)
    # The same events in a second file (one file named twice is read once).
    copy = tmp_path / "copy.ndjson"
    copy.write_bytes(Path(path).read_bytes())
    (tmp_path / "props.conf").write_text("[json]\nEVAL-who = upper(user)\nBOGUS = 1\n")
    (tmp_path / "macros.conf").write_text("[named(1)]\nargs = n\ndefinition = eventName=$n$\n")
    lookups = tmp_path / "lk"
    lookups.mkdir()
    (lookups / "teams.csv").write_text("user,team\nu1,red\n")
    status, out, err = run(capsys, "query", "`named(A)` | lookup teams.csv user OUTPUT team | table who team",
                           "--data", path, "--data", str(copy), "--dedup-events", "--props", str(tmp_path / "props.conf"),
                           "--macros", str(tmp_path / "macros.conf"), "--lookups", str(lookups),
                           "--sourcetype", "json", "--format", "csv")
    assert (status, out) == (0, "who,team\nU1,red\nU1,red\n")  # no eventID in these events: nothing to dedup
    assert err == f"warning: {tmp_path / 'props.conf'}:3: setting 'BOGUS' is not supported; ignored\n"


def test_no_addons_flag(tmp_path, capsys):
    f = tmp_path / "ct.ndjson"
    f.write_text('{"eventVersion": "1.0", "eventName": "GetObject", "eventTime": "2024-01-01T00:00:00Z"}\n')
    _, out, _ = run(capsys, "query", "index=main | table errorCode", "--data", str(f), "--format", "csv")
    assert out == "errorCode\nsuccess\n"
    _, out, _ = run(capsys, "query", "index=main | table errorCode", "--data", str(f), "--format", "csv",
                    "--no-addons")
    assert out == 'errorCode\n""\n'  # a lone empty cell is quoted in CSV


def test_a_query_that_does_not_compile_is_reported_before_any_data_is_read(tmp_path, capsys):
    # The data does not exist: reading it would end in "no such file", status 2.
    status = main(["query", "index=main | stats cnt by x", "--data", str(tmp_path / "missing.json")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines()[:3] == ["Error in 'stats' command: The argument 'cnt' is invalid: 'cnt' is not a stats "
                                    "function.", "  index=main | stats cnt by x", "                     ^^^"]
