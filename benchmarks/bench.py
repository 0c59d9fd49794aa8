"""Benchmark: the in-memory engine beside DuckDB in one process — load rate, memory per event,
every hunt's first and warm run as a ratio to DuckDB single-threaded, and the one-shot CLI.

    python benchmarks/bench.py                       # 1M events, NDJSON and gzipped Records
    python benchmarks/bench.py --sizes 100000 --formats ndjson
    python benchmarks/bench.py --no-oneshot          # skip the cold-process comparison

Data comes from ../shared/ctgen.py (seed 42) when it is there, else from spl_lite.sample. The
hunts are examples/hunts/*.spl and ../shared/bench/hunts.jsonl, each beside its DuckDB SQL.
Figures are printed, never asserted: timing belongs here, not in tests.
"""
from __future__ import annotations

import argparse
import gc
import json
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

SHARED = ROOT.parent / "shared"
CTGEN = SHARED / "ctgen.py"
HUNTS_FILE = SHARED / "bench" / "hunts.jsonl"
OUT = Path(os.environ.get("SPL_LITE_BENCH_DATA", ROOT / "benchmarks" / "out"))
EXAMPLES = sorted((ROOT / "examples" / "hunts").glob("*.spl"))

# The example hunts in DuckDB SQL over the same records (table ev, as read_json reads them).
EXAMPLE_SQL = {
    "access_denied_details": """
        SELECT eventTime, awsRegion, eventName, userIdentity.userName, sourceIPAddress, userAgent, errorMessage
        FROM ev WHERE errorCode = 'AccessDenied' ORDER BY eventTime DESC""",
    "actions_and_services": """
        SELECT regexp_extract(eventSource, '^([^.]+)\\.', 1) AS service,
               regexp_extract(eventName, '^([A-Z][a-z]+)', 1) AS action, count(*) AS n
        FROM ev GROUP BY 1, 2 ORDER BY n DESC LIMIT 15""",
    "console_logins_without_mfa": """
        SELECT userIdentity.userName, count(*), min(eventTime), max(eventTime), list(DISTINCT sourceIPAddress)
        FROM ev WHERE eventName = 'ConsoleLogin'
          AND json_extract_string(to_json(additionalEventData), '$.MFAUsed') = 'No'
          AND json_extract_string(to_json(responseElements), '$.ConsoleLogin') = 'Success' GROUP BY 1""",
    "errors_by_count": """
        SELECT errorCode, count(*) AS n, count(DISTINCT userIdentity.arn) FROM ev WHERE errorCode IS NOT NULL
        GROUP BY errorCode ORDER BY n DESC""",
    "key_pair_activity": """
        SELECT eventTime, awsRegion, eventName, userIdentity.userName, requestParameters.keyName, sourceIPAddress
        FROM ev WHERE eventName IN ('CreateKeyPair', 'ImportKeyPair', 'DeleteKeyPair') ORDER BY eventTime DESC""",
}


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def make_data(n: int, fmt: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / (f"ct-{n}.ndjson" if fmt == "ndjson" else f"ct-{n}-records-gz")
    if not path.exists():
        if CTGEN.exists():
            extra = [] if fmt == "ndjson" else ["--files", str(max(1, n // 25_000))]
            subprocess.run([sys.executable, str(CTGEN), "--events", str(n), "--seed", "42", "--format", fmt,
                            "--out", str(path), "--quiet", *extra], check=True)
        else:
            from spl_lite.sample import generate, write_ndjson
            write_ndjson(generate(n, seed=42), str(path))
    return path


def hunts() -> list[tuple[str, str, str]]:
    """(name, spl, duckdb sql) for the example hunts and the shared hunt set."""
    out = [(h.stem, read_spl_file(h), EXAMPLE_SQL[h.stem]) for h in EXAMPLES if h.stem in EXAMPLE_SQL]
    if HUNTS_FILE.exists():
        for line in HUNTS_FILE.read_text().splitlines():
            if line.strip():
                h = json.loads(line)
                out.append((h["name"], h["spl"], h["duckdb_sql"]))
    return out


def timed(fn, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_spl(path: Path, hunt_list) -> dict:
    gc.collect()
    before = rss_bytes()
    engine = spl_lite.Engine()
    t = time.perf_counter()
    report = engine.load(path)
    load_s = time.perf_counter() - t
    mem = (rss_bytes() - before) / max(1, report.events)
    first, warm = {}, {}
    for name, spl, _ in hunt_list:
        query = engine.compile(spl)
        first[name] = timed(query.run, 1)  # builds what later runs reuse (columns not made at load)
        warm[name] = timed(query.run, 3)
    return {"events": report.events, "load_s": load_s, "mem": mem,
            "mem_after": (rss_bytes() - before) / max(1, report.events), "first": first, "warm": warm}


def duckdb_tables(con, path: Path, fmt: str) -> float:
    """ev and raw for the SQL; the seconds read_json took (all threads, as users run it)."""
    t = time.perf_counter()
    if fmt == "ndjson":
        con.execute(f"CREATE TABLE ev AS SELECT * FROM read_json('{path}', format='newline_delimited')")
        con.execute(f"CREATE TABLE raw AS SELECT json::VARCHAR AS line FROM read_json_objects('{path}', "
                    "format='newline_delimited')")
    else:
        con.execute("CREATE TABLE ev AS SELECT unnest(r) FROM (SELECT unnest(Records) AS r FROM "
                    f"read_json('{path}/*.json.gz', union_by_name=true, maximum_object_size=2000000000))")
        con.execute("CREATE TABLE raw AS SELECT to_json(ev)::VARCHAR AS line FROM ev")
    return time.perf_counter() - t


def bench_duckdb(path: Path, fmt: str, hunt_list) -> dict | None:
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    load_s = duckdb_tables(con, path, fmt)
    con.execute("SET threads=1")  # the hunts race one DuckDB thread, as spl_lite runs on one core
    out = {}
    for name, _, sql in hunt_list:
        try:
            out[name] = timed(lambda: con.execute(sql).fetchall(), 3)
        except duckdb.Error as e:
            print(f"  duckdb could not run {name}: {e}".splitlines()[0])
    return {"load_s": load_s, "hunts": out}


ONESHOT = [  # (spl, the same question in DuckDB SQL over {path})
    ("eventName=ConsoleLogin additionalEventData.MFAUsed=No | stats count by userIdentity.userName",
     "SELECT userIdentity.userName, count(*) FROM read_json('{path}', format='newline_delimited') "
     "WHERE eventName = 'ConsoleLogin' AND additionalEventData.MFAUsed = 'No' GROUP BY 1"),
    ("sourcetype=aws:cloudtrail | stats count by errorCode | sort - count",
     "SELECT errorCode, count(*) c FROM read_json('{path}', format='newline_delimited') GROUP BY 1 ORDER BY c DESC"),
    ("sourcetype=aws:cloudtrail | stats count by recipientAccountId | sort - count",  # not one of the hot fields
     "SELECT recipientAccountId, count(*) c FROM read_json('{path}', format='newline_delimited') GROUP BY 1 "
     "ORDER BY c DESC"),
]


def oneshot(path: Path) -> list[tuple[str, float, float]]:
    """A cold `spl-lite query` and a cold DuckDB process answering the same question: one
    search whose terms the loader looks for in the text, two that read every event (over a
    hot field and over one made into a column at load only for that search)."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return []
    out = []
    for spl, sql in ONESHOT:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "spl_lite", "query", spl, "--data", str(path)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.sql({sql.format(path=path)!r}).fetchall()"],
                       check=True)
        out.append((spl, ours, time.perf_counter() - t))
    return out


def report(n: int, fmt: str, path: Path, spl: dict, duck: dict | None) -> None:
    print(f"\n== {spl['events']:,} events, {fmt}")
    line = (f"load: {spl['load_s']:.1f} s = {spl['events'] / spl['load_s']:,.0f} events/s (first load in this "
            f"process); memory {spl['mem'] / 1024:.2f} KB/event after load, {spl['mem_after'] / 1024:.2f} "
            "KB/event after the hunts")
    print(line)
    if duck:
        rate = spl["events"] / duck["load_s"]
        print(f"duckdb read_json: {duck['load_s']:.1f} s = {rate:,.0f} events/s; spl_lite's load rate is "
              f"{duck['load_s'] / spl['load_s']:.2f}x DuckDB's")
    print(f"{'hunt':30} {'first':>9} {'warm':>9} {'duckdb':>9} {'warm/duck':>9} {'first/duck':>10}")
    ratios, firsts = [], []
    for name in spl["warm"]:
        d = duck["hunts"].get(name) if duck else None
        w, f = spl["warm"][name], spl["first"][name]
        if d:
            ratios.append(w / d)
            firsts.append(f / d)
        print(f"{name:30} {f * 1000:7.1f}ms {w * 1000:7.1f}ms " +
              (f"{d * 1000:7.1f}ms {w / d:8.2f}x {f / d:9.2f}x" if d else ""))
    if ratios:
        print(f"{'median ratio':30} {'':9} {'':9} {'':9} {statistics.median(ratios):8.2f}x "
              f"{statistics.median(firsts):9.2f}x")
        print(f"{'worst ratio':30} {'':9} {'':9} {'':9} {max(ratios):8.2f}x {max(firsts):9.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--formats", nargs="+", default=["ndjson", "records-gz"], choices=["ndjson", "records-gz"])
    ap.add_argument("--no-oneshot", action="store_true")
    args = ap.parse_args()
    hunt_list = hunts()
    for n in args.sizes:
        for fmt in args.formats:
            path = make_data(n, fmt)
            spl = bench_spl(path, hunt_list)
            gc.collect()
            duck = bench_duckdb(path, fmt, hunt_list)
            report(n, fmt, path, spl, duck)
            if fmt == "ndjson" and not args.no_oneshot:
                for spl, ours, theirs in oneshot(path):
                    print(f"one-shot from a cold process: spl-lite {ours:.1f} s, duckdb {theirs:.1f} s = "
                          f"{ours / theirs:.1f}x  ({spl[:60]})")


if __name__ == "__main__":
    main()
