"""Benchmark: load rate, memory per event and the example hunts, beside DuckDB when installed.

    python benchmarks/bench.py                 # 100k and 1M events
    python benchmarks/bench.py --sizes 100000  # just 100k

Data comes from ../shared/ctgen.py when it is there (the reference generator), else from
spl_lite.sample. Figures are printed, never asserted: timing belongs here, not in tests.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spl_lite  # noqa: E402
from spl_lite.cli import read_spl_file  # noqa: E402

CTGEN = ROOT.parent / "shared" / "ctgen.py"
OUT = ROOT / "benchmarks" / "out"
HUNTS = sorted((ROOT / "examples" / "hunts").glob("*.spl"))

# The same questions in DuckDB SQL over the same records, columns extracted at load.
DUCKDB_HUNTS = {
    "access_denied_details": """
        SELECT eventTime, awsRegion, eventName, userName, sourceIPAddress, userAgent, errorMessage
        FROM t WHERE errorCode = 'AccessDenied' ORDER BY eventTime DESC""",
    "actions_and_services": """
        SELECT regexp_extract(eventSource, '^([^.]+)\\.', 1) AS service,
               regexp_extract(eventName, '^([A-Z][a-z]+)', 1) AS action, count(*) AS n
        FROM t GROUP BY 1, 2 ORDER BY n DESC LIMIT 15""",
    "console_logins_without_mfa": """
        SELECT userName, count(*), min(eventTime), max(eventTime), list(DISTINCT sourceIPAddress)
        FROM t WHERE eventName = 'ConsoleLogin' AND mfaUsed = 'No' AND consoleLogin = 'Success'
        GROUP BY userName""",
    "errors_by_count": """
        SELECT errorCode, count(*) AS n, count(DISTINCT arn) FROM t WHERE errorCode IS NOT NULL
        GROUP BY errorCode ORDER BY n DESC""",
    "key_pair_activity": """
        SELECT eventTime, awsRegion, eventName, userName, keyName, sourceIPAddress FROM t
        WHERE eventName IN ('CreateKeyPair', 'ImportKeyPair', 'DeleteKeyPair') ORDER BY eventTime DESC""",
}
DUCKDB_COLUMNS = {
    "eventTime": "$.eventTime", "awsRegion": "$.awsRegion", "eventName": "$.eventName",
    "eventSource": "$.eventSource", "errorCode": "$.errorCode", "errorMessage": "$.errorMessage",
    "sourceIPAddress": "$.sourceIPAddress", "userAgent": "$.userAgent",
    "userName": "$.userIdentity.userName", "arn": "$.userIdentity.arn",
    "mfaUsed": "$.additionalEventData.MFAUsed", "consoleLogin": "$.responseElements.ConsoleLogin",
    "keyName": "$.requestParameters.keyName",
}


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def make_data(n: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"cloudtrail_{n}.ndjson"
    if not path.exists():
        if CTGEN.exists():
            subprocess.run([sys.executable, str(CTGEN), "--events", str(n), "--seed", "1", "--format", "ndjson",
                            "--out", str(path), "--quiet"], check=True)
        else:
            from spl_lite.sample import generate, write_ndjson
            write_ndjson(generate(n, seed=1), str(path))
    return path


def best_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_spl(path: Path) -> dict:
    loads = []
    for attempt in range(3):
        gc.collect()
        if attempt == 0:
            before = rss_bytes()
        engine = spl_lite.Engine()
        t = time.perf_counter()
        report = engine.load(path)
        loads.append(time.perf_counter() - t)
        if attempt == 0:
            mem = (rss_bytes() - before) / report.events
        if attempt < 2:
            del engine
            gc.unfreeze()
    first, hunts = {}, {}
    for h in HUNTS:
        query = engine.compile(read_spl_file(h))
        # The first run also builds the indexes and columns that later runs reuse.
        first[h.stem] = best_of(query.run, 1)
        hunts[h.stem] = best_of(query.run, 3)
    mem_after = (rss_bytes() - before) / report.events
    return {"events": report.events, "load_s": min(loads), "load_first_s": loads[0], "mem": mem,
            "mem_after": mem_after, "first": first, "hunts": hunts}


def bench_duckdb(path: Path) -> dict | None:
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    cols = ", ".join(f"json_extract_string(json, '{p}') AS {c}" for c, p in DUCKDB_COLUMNS.items())
    t = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT {cols} FROM read_json_objects('{path}', format='newline_delimited')")
    load_s = time.perf_counter() - t
    hunts = {name: best_of(lambda q=q: con.execute(q).fetchall(), 5) for name, q in DUCKDB_HUNTS.items()}
    return {"load_s": load_s, "hunts": hunts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = ap.parse_args()
    for n in args.sizes:
        path = make_data(n)
        spl = bench_spl(path)
        duck = bench_duckdb(path)
        print(f"\n== {spl['events']:,} events ({path.stat().st_size / 1e6:.0f} MB NDJSON)")
        print(f"load: {spl['load_s']:.2f} s = {spl['events'] / spl['load_s']:,.0f} events/s (best of 3; "
              f"first {spl['load_first_s']:.2f} s); memory: {spl['mem'] / 1024:.2f} KB/event after load, "
              f"{spl['mem_after'] / 1024:.2f} KB/event after the hunts (indexes, columns)")
        if duck:
            print(f"duckdb load (13 columns extracted): {duck['load_s']:.2f} s")
        print(f"{'hunt':32} {'first run':>10} {'spl_lite':>10} {'duckdb':>10} {'ratio':>8}")
        for name, secs in spl["hunts"].items():
            d = duck["hunts"].get(name) if duck else None
            ratio = f"{secs / d:8.1f}x" if d else ""
            print(f"{name:32} {spl['first'][name] * 1000:8.1f}ms {secs * 1000:8.1f}ms "
                  f"{d * 1000 if d else float('nan'):8.1f}ms {ratio}")
        if spl["hunts"]:
            print(f"{'median':32} {statistics.median(spl['hunts'].values()) * 1000:8.1f}ms")


if __name__ == "__main__":
    main()
