"""spl-lite ingest: JSON logs to a Parquet dataset by day, searched where it lies by DuckDB and
Spark with the answers the memory engine gives over the same files."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

import spl_lite
from spl_lite.cli import main, read_spl_file
from spl_lite.engine import SAMPLE_DATA
from spl_lite.store.dataset import DATASET_FILE, FIELD_COLUMNS
from conftest import engine_arguments, table_of

pytest.importorskip("duckdb", reason="the duckdb extra is not installed: pip install 'spl-lite[duckdb]'")

from test_engines import ENGINES, SPARK_MISSING, outcome  # noqa: E402

HUNTS = sorted((Path(__file__).resolve().parents[1] / "examples" / "hunts").glob("*.spl"))
NOW = 1710000000


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("ingest") / "sample"
    assert main(["ingest", str(SAMPLE_DATA), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def memory():
    e = spl_lite.Engine(now=NOW)
    e.load_sample()
    return e


@pytest.fixture(scope="module")
def on_dataset(dataset):
    engines = {}

    def get(name):
        if name not in engines:
            engines[name] = spl_lite.Engine(now=NOW, **engine_arguments(name))
            report = engines[name].load(dataset)
            assert report.events == 3000
        return engines[name]
    return get


def test_a_dataset_is_parquet_by_day_with_its_description(dataset, capsys):
    days = sorted(p.name for p in dataset.iterdir() if p.is_dir())
    assert days == [f"day=2024-03-{d:02d}" for d in range(4, 11)]
    assert all(list((dataset / d).glob("*.parquet")) for d in days)
    info = json.loads((dataset / DATASET_FILE).read_text())
    assert info["events"] == 3000 and info["fields"] == list(FIELD_COLUMNS)
    assert not list(dataset.glob(".ingest-*"))  # the staging database is gone


def test_the_field_columns_hold_what_a_search_sees(on_dataset, memory):
    """Searches read these columns instead of parsing _raw: each must be the field's value."""
    search = "sourcetype=aws:cloudtrail | table " + ", ".join(FIELD_COLUMNS)
    assert table_of(on_dataset("duckdb").search(search)) == table_of(memory.search(search))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("hunt", HUNTS, ids=lambda p: p.stem)
def test_example_hunts_over_the_dataset_equal_memory(on_dataset, memory, hunt, engine):
    text = read_spl_file(hunt)
    assert outcome(on_dataset(engine), text) == outcome(memory, text)


def test_the_rows_keep_splunk_order(on_dataset, memory):
    search = "index=main | head 50 | table _time eventID"
    assert table_of(on_dataset("duckdb").search(search)) == table_of(memory.search(search))


# ------------------------------------------------------------------ random searches
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from grammar_fuzz import corpus, mutate, sentence  # noqa: E402

CORPUS = corpus()


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False))
def test_random_searches_over_the_dataset_equal_memory_or_refuse(on_dataset, memory, rng):
    text = sentence(rng) if rng.random() < 0.3 else mutate(rng.choice(CORPUS), rng)
    duck = outcome(on_dataset("duckdb"), text)
    if not isinstance(duck, spl_lite.SplError):
        assert duck == outcome(memory, text), text


# ------------------------------------------------------------------ what ingest reports
def _ndjson(path: Path, records: list, bad_line: str | None = None) -> Path:
    lines = [json.dumps(r) for r in records]
    if bad_line is not None:
        lines.insert(1, bad_line)
    path.write_text("\n".join(lines) + "\n")
    return path


def _record(i: int, day: int = 5) -> dict:
    return {"eventVersion": "1.08", "eventTime": f"2024-03-{day:02d}T10:00:{i:02d}Z", "eventSource": "s3.amazonaws.com",
            "eventName": "GetObject", "eventID": f"id-{i}", "awsRegion": "us-east-1", "readOnly": True,
            "userIdentity": {"type": "IAMUser", "userName": "alice"}, "requestParameters": {"n": i}}


def test_a_malformed_line_is_reported_counted_and_skipped(tmp_path, capsys):
    data = _ndjson(tmp_path / "events.json", [_record(i) for i in range(3)], bad_line='{"eventName": ')
    out = tmp_path / "ds"
    assert main(["ingest", str(data), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"warning: {data}:2:" in err and "(skipped)" in err
    assert "Ingested 3 events from 1 file into" in err
    e = spl_lite.Engine(addons=False, engine="duckdb")
    e.load(out)
    result = e.search("index=main | stats count by readOnly, userIdentity.userName, requestParameters.n")
    assert table_of(result)["rows"] == [["true", "alice", "0", "1"], ["true", "alice", "1", "1"],
                                        ["true", "alice", "2", "1"]]


def test_dedup_events_keeps_one_copy_of_each_event_id(tmp_path, capsys):
    a = _ndjson(tmp_path / "a.json", [_record(i) for i in range(4)])
    with gzip.open(tmp_path / "b.json.gz", "wt") as f:
        f.write(json.dumps({"Records": [_record(i) for i in range(2, 6)]}))
    out = tmp_path / "ds"
    assert main(["ingest", str(a), str(tmp_path / "b.json.gz"), "--out", str(out), "--dedup-events"]) == 0
    assert "Ingested 6 events from 2 files" in capsys.readouterr().err
    assert "2 duplicate events dropped" in (main(["ingest", str(a), str(tmp_path / "b.json.gz"), "--out",
                                                  str(tmp_path / "again"), "--dedup-events"]) == 0
                                            and capsys.readouterr().err)
    e = spl_lite.Engine(addons=False, engine="duckdb")
    e.load(out)
    assert table_of(e.search("index=main | stats count dc(eventID) as ids"))["rows"] == [["6", "6"]]


def test_ingest_writes_only_into_a_new_or_empty_directory(tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    assert main(["ingest", str(SAMPLE_DATA), "--out", str(tmp_path / "full")]) == 1
    assert "exists and is not an empty directory" in capsys.readouterr().err
    assert main(["ingest", str(tmp_path / "missing.json"), "--out", str(tmp_path / "new")]) == 2
    assert not (tmp_path / "new").exists()  # a failed ingest leaves nothing behind


def test_the_memory_engine_says_where_a_dataset_runs(dataset, capsys):
    assert main(["query", "index=main | stats count", "--data", str(dataset)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"spl-lite: {dataset} is a Parquet dataset made by spl-lite ingest: search it with --engine duckdb or "
        "--engine spark (Engine(engine=...)), which read it without loading it")


def test_query_on_duckdb_reads_the_dataset(dataset, capsys):
    q = "sourcetype=aws:cloudtrail | stats count by eventSource | sort - count | head 2"
    assert main(["query", q, "--data", str(dataset), "--engine", "duckdb", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["eventSource,count", "ec2.amazonaws.com,739",
                                                    "s3.amazonaws.com,552"]


def test_copying_a_dataset_keeps_it_searchable(dataset, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(dataset, copy)
    e = spl_lite.Engine(addons=False, engine="duckdb")
    assert e.load(copy).events == 3000


# ------------------------------------------------------------------ the README's Engines section
def _engine_lines() -> list[str]:
    from conftest import ROOT
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Engines\n")[1].split("\n## ")[0]
    return [line.strip().removeprefix("$ ") for line in section.splitlines()
            if line.strip().removeprefix("$ ").startswith("spl-lite ")]


def test_readme_engine_command_lines_run(tmp_path, capsys, monkeypatch):
    """Every spl-lite line of the README's Engines section runs (a cluster's address aside)."""
    import glob
    import shlex
    from conftest import ROOT
    monkeypatch.chdir(ROOT)
    lines = _engine_lines()
    assert len(lines) == 6
    ran = 0
    for line in lines:
        argv = shlex.split(line.split("  #")[0])[1:]
        if "--spark-master" in argv or ("--engine" in argv and argv[argv.index("--engine") + 1] == "spark"
                                         and SPARK_MISSING):
            continue  # needs a cluster, or Java and pyspark
        argv = [str(SAMPLE_DATA) if a == "~/cloudtrail/" else str(tmp_path / "ct") if a == "~/ct-parquet" else a
                for a in argv]
        argv = [p for a in argv for p in (sorted(glob.glob(a)) if "*" in a else [a])]
        capsys.readouterr()
        assert main(argv) == 0, line
        ran += 1
        if argv[0] == "sql":
            import sqlglot
            sqlglot.parse_one(capsys.readouterr().out, read="trino")
    assert ran >= 4


def test_readme_athena_table_has_the_dataset_columns():
    from conftest import ROOT
    from spl_lite.store.dataset import JSON_COLUMNS, METADATA
    ddl = (ROOT / "README.md").read_text().split("CREATE EXTERNAL TABLE events (")[1].split(")\n")[0]
    columns = [c.split()[0].strip("`") for c in ddl.replace("\n", " ").split(",")]
    assert columns == ["_ord", "_time", "_raw", *METADATA, *FIELD_COLUMNS, *JSON_COLUMNS]


def test_reading_in_workers_gives_the_dataset_one_reader_gives(tmp_path):
    """Files read by two worker processes keep the load order one reader has (_ord, problems)."""
    import duckdb
    from spl_lite.ingest.parquet import ingest
    data = tmp_path / "data"
    data.mkdir()
    for n in range(5):  # equal times across files: their order decides _ord
        _ndjson(data / f"part{n}.json", [_record(i, day=5 + n % 2) for i in range(n * 3, n * 3 + 3)],
                bad_line="{" if n == 2 else None)
    tables = []
    for workers in (1, 2):
        report = ingest([data], tmp_path / f"w{workers}", workers=workers)
        rows = duckdb.connect().execute(f"SELECT * FROM read_parquet('{tmp_path}/w{workers}/**/*.parquet') "
                                        "ORDER BY _ord").fetchall()
        tables.append((rows, report.events, report.bad_lines, report.errors))
    assert tables[0] == tables[1] and tables[0][1] == 15 and tables[0][2] == 1


# Issue 18: user text never becomes SQL; a dataset's path is data, never a glob ----------------
@pytest.mark.parametrize("memory, message", [
    ("1GB'; COPY (SELECT 42) TO 'INJECTED.csv'; --",
     "spl-lite: --memory takes a size such as 2GB or 512MB, not '1GB'; COPY (SELECT 42) TO 'INJECTED.csv'; --'."),
    ("lots", "spl-lite: --memory takes a size such as 2GB or 512MB, not 'lots'."),
    ("1KB", "spl-lite: --memory of '1KB' is out of range: it takes 64MB or more, and less than 4 EB."),
])
def test_ingest_memory_is_a_size_read_by_spl_lite(tmp_path, monkeypatch, capsys, memory, message):
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", str(SAMPLE_DATA), "--out", "ds", "--memory", memory]) == 1
    assert capsys.readouterr().err.strip() == message
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_ingest_into_a_path_with_quotes_and_glob_characters(tmp_path, capsys):
    root = tmp_path / "quo'te"
    for name in ("a", "*", "ds[1]"):
        assert main(["ingest", str(SAMPLE_DATA), "--out", str(root / name)]) == 0
    capsys.readouterr()
    for name in ("*", "ds[1]"):  # each reads itself, never its siblings
        e = spl_lite.Engine(engine="duckdb")
        e.load(root / name)
        assert e.search("* | stats count").rows == [{"count": 3000}]


def test_ingest_under_a_regular_file_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["ingest", str(SAMPLE_DATA), "--out", str(tmp_path / "file" / "ds")]) == 1
    assert capsys.readouterr().err.strip() == f"spl-lite: Cannot make the dataset directory {tmp_path / 'file' / 'ds'}: Not a directory."


def _broken(dataset, tmp_path, change) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(dataset, copy)
    change(copy)
    return copy


def _edit_description(path, **changes):
    info = json.loads((path / DATASET_FILE).read_text())
    info.update(changes)
    (path / DATASET_FILE).write_text(json.dumps(info))


@pytest.mark.parametrize("change, message", [
    (lambda p: _edit_description(p, fields=5), "{p}/_spl_lite.json: not a dataset description as spl-lite ingest "
     "writes it (events, fields and json do not hold what it wrote): run spl-lite ingest again."),
    (lambda p: _edit_description(p, events="many"), "{p}/_spl_lite.json: not a dataset description as spl-lite "
     "ingest writes it (events, fields and json do not hold what it wrote): run spl-lite ingest again."),
    (lambda p: [shutil.rmtree(d) for d in p.glob("day=*")], "{p} holds no Parquet files: they were removed or moved."),
    (lambda p: ((p / DATASET_FILE).unlink(), (p / ".ingest-x1").mkdir()),
     "{p} is a dataset whose ingest did not finish: run spl-lite ingest again (into this directory, which it "
     "then empties, or a new one)."),
])
def test_a_broken_dataset_is_refused_with_a_clear_message(dataset, tmp_path, change, message):
    path = _broken(dataset, tmp_path, change)
    with pytest.raises(spl_lite.SplError) as info:
        spl_lite.Engine(engine="duckdb").load(path)
    assert str(info.value) == message.format(p=path)


def test_ingest_again_into_what_a_killed_ingest_left(tmp_path, capsys):
    out = tmp_path / "ds"
    (out / ".ingest-abc" / "spill").mkdir(parents=True)
    assert main(["ingest", str(SAMPLE_DATA), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("day=")) == [DATASET_FILE]
