"""Benchmark of issue 8: more events than memory holds, searched on DuckDB over an ingested dataset.

    python benchmarks/engines.py                      # 10M events (generates them once)
    python benchmarks/engines.py --events 1000000
    python benchmarks/engines.py --data DIR           # your own CloudTrail files

Prints: ingest throughput and the ingest process's peak RSS; each example hunt on
--engine duckdb over the Parquet dataset beside the same question in hand-written DuckDB SQL
over the same Parquet (ratio; goal within 2x) with the hunts' process peak RSS (goal under 4 GB);
and, at 1M events, the same hunts on the in-memory engine. Each stage runs in a process of its
own, so every peak RSS is that stage's. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CTGEN = ROOT.parent / "shared" / "ctgen.py"
HUNTS = sorted((ROOT / "examples" / "hunts").glob("*.spl"))

# The same questions as an analyst would write them in DuckDB SQL over the dataset's columns.
HAND_WRITTEN = {
    "access_denied_details": """
        SELECT _time, awsRegion, eventName, userIdentity->>'$.userName', sourceIPAddress, userAgent, errorMessage
        FROM events WHERE sourcetype = 'aws:cloudtrail' AND errorCode = 'AccessDenied' ORDER BY _ord""",
    "actions_and_services": """
        SELECT regexp_extract(eventSource, '^([^.]+)\\.', 1) AS service,
               regexp_extract(eventName, '^([A-Z][a-z]+)', 1) AS action, count(*) AS n
        FROM events WHERE sourcetype = 'aws:cloudtrail' GROUP BY 1, 2 ORDER BY n DESC LIMIT 15""",
    "console_logins_without_mfa": """
        SELECT userIdentity->>'$.userName' AS u, count(*), min(_time), max(_time), list(DISTINCT sourceIPAddress)
        FROM events WHERE sourcetype = 'aws:cloudtrail' AND eventName = 'ConsoleLogin'
          AND additionalEventData->>'$.MFAUsed' = 'No' AND responseElements->>'$.ConsoleLogin' = 'Success'
        GROUP BY u""",
    "errors_by_count": """
        SELECT errorCode, count(*) AS n, count(DISTINCT userIdentity->>'$.arn') FROM events
        WHERE sourcetype = 'aws:cloudtrail' AND errorCode IS NOT NULL AND lower(errorCode) != 'success'
        GROUP BY errorCode ORDER BY n DESC""",
    "key_pair_activity": """
        SELECT _time, awsRegion, eventName, userIdentity->>'$.userName', requestParameters->>'$.keyName',
               sourceIPAddress FROM events
        WHERE sourcetype = 'aws:cloudtrail' AND eventName IN ('CreateKeyPair', 'ImportKeyPair', 'DeleteKeyPair')
        ORDER BY _ord""",
}


def run_stage(args: list[str]) -> tuple[dict, float, int]:
    """(JSON it printed, wall seconds, peak RSS bytes) of a child process running this script."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"stage {args[0]} failed ({child.returncode})")
    return json.loads(out or "{}"), time.perf_counter() - started, usage.ru_maxrss * 1024


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# ------------------------------------------------------------------ stages (child processes)
def stage_ingest(data: str, out: str) -> dict:
    import resource
    from spl_lite.ingest.parquet import ingest
    report = ingest([data], Path(out))
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"events": report.events, "bytes": report.bytes, "bad_lines": report.bad_lines, "workers_rss": workers}


def stage_duckdb(dataset: str, repeat: int) -> dict:
    import duckdb
    import spl_lite
    from spl_lite.cli import read_spl_file
    engine = spl_lite.Engine(engine="duckdb")
    engine.load(dataset)
    hand = duckdb.connect()
    hand.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet('{dataset}/**/*.parquet')")
    results = {}
    for hunt in HUNTS:
        text = read_spl_file(hunt)
        first = median_time(lambda: engine.search(text), 1)
        rows = len(engine.search(text).rows)
        ours = median_time(lambda: engine.search(text), repeat)
        sql = HAND_WRITTEN[hunt.stem]
        hand_rows = len(hand.execute(sql).fetchall())
        theirs = median_time(lambda: hand.execute(sql).fetchall(), repeat)
        results[hunt.stem] = {"first": first, "warm": ours, "duckdb_sql": theirs, "rows": rows,
                              "hand_rows": hand_rows}
    return results


def stage_memory(data: str, repeat: int) -> dict:
    import spl_lite
    from spl_lite.cli import read_spl_file
    engine = spl_lite.Engine()
    started = time.perf_counter()
    engine.load(data)
    results = {"_load": time.perf_counter() - started}
    for hunt in HUNTS:
        text = read_spl_file(hunt)
        engine.search(text)
        results[hunt.stem] = {"warm": median_time(lambda: engine.search(text), repeat)}
    return results


# ------------------------------------------------------------------ the report
def generate(events: int, directory: Path) -> Path:
    target = directory / f"ct-{events}"
    if not target.exists():
        print(f"generating {events:,} events with ctgen (seed 42) into {target} ...", flush=True)
        subprocess.run([sys.executable, str(CTGEN), "--events", str(events), "--seed", "42", "--format",
                        "records-gz", "--files", str(max(1, events // 25000)), "--days", "30", "--out",
                        str(target), "--jobs", "2", "--quiet"], check=True)
    return target


def ingest_once(data: Path, work: Path) -> Path:
    dataset = work / f"pq-{data.name}"
    if not dataset.exists():
        info, seconds, rss = run_stage(["ingest", str(data), str(dataset)])
        size = sum(f.stat().st_size for f in dataset.rglob("*.parquet"))
        print(f"ingest: {info['events']:,} events, {info['bytes'] / 1e9:.1f} GB of JSON in {seconds:.0f}s = "
              f"{info['events'] / seconds:,.0f} events/s; peak RSS {rss / 1e9:.2f} GB (each reading worker "
              f"{info.get('workers_rss', 0) / 1e9:.2f} GB at most); "
              f"Parquet {size / 1e9:.2f} GB ({size / max(info['events'], 1):.0f} B/event)", flush=True)
    else:
        print(f"ingest: reusing {dataset}")
    return dataset


def report_hunts(label: str, dataset: Path, repeat: int, memory: dict | None = None) -> None:
    results, _, rss = run_stage(["duckdb", str(dataset), str(repeat)])
    print(f"\n{label}: --engine duckdb over Parquet; hunts' process peak RSS {rss / 1e9:.2f} GB "
          f"(goal < 4 GB)")
    header = f"  {'hunt':28} {'rows':>7} {'first':>8} {'warm':>8} {'DuckDB SQL':>11} {'ratio':>6}"
    print(header + ("  {:>9} {:>7}".format("memory", "ratio") if memory else ""))
    for name, r in results.items():
        line = (f"  {name:28} {r['rows']:>7} {r['first']:>7.2f}s {r['warm']:>7.2f}s {r['duckdb_sql']:>10.3f}s "
                f"{r['warm'] / r['duckdb_sql']:>5.1f}x")
        if r["rows"] != r["hand_rows"]:
            line += f"  (hand-written SQL gave {r['hand_rows']} rows)"
        if memory:
            m = memory[name]["warm"]
            line += f"  {m:>8.3f}s {r['warm'] / m:>6.1f}x"
        print(line)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("ingest", "duckdb", "memory"):
        stage, *rest = sys.argv[1:]
        if stage == "ingest":
            print(json.dumps(stage_ingest(*rest)))
        elif stage == "duckdb":
            print(json.dumps(stage_duckdb(rest[0], int(rest[1]))))
        else:
            print(json.dumps(stage_memory(rest[0], int(rest[1]))))
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=10_000_000)
    p.add_argument("--data", help="CloudTrail files to ingest instead of generated ones")
    p.add_argument("--work", default=str(ROOT.parent / "bench-data"), help="where data and datasets go")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-memory", action="store_true", help="skip the 1M-event comparison with memory")
    args = p.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    data = Path(args.data) if args.data else generate(args.events, work)
    dataset = ingest_once(data, work)
    report_hunts(f"{args.events:,} events" if not args.data else str(data), dataset, args.repeat)
    if not args.no_memory and not args.data:
        small = generate(1_000_000, work)
        small_dataset = ingest_once(small, work)
        memory, _, memory_rss = run_stage(["memory", str(small), str(args.repeat)])
        print(f"\nmemory engine at 1M events: load {memory['_load']:.0f}s, peak RSS {memory_rss / 1e9:.2f} GB")
        report_hunts("1,000,000 events", small_dataset, args.repeat, memory)


if __name__ == "__main__":
    main()
