"""Conformance: Splunk's published CloudTrail detections, run unchanged over real CloudTrail events.

    python benchmarks/detections.py [--all] [--verbose] [--engine duckdb|spark]

Reads ../shared/corpus/spl_queries.jsonl (the searches over raw CloudTrail), defines the macros
of ../shared/corpus/macros.jsonl, loads every event of ../shared/data, and for each search prints
whether it compiled (parsed, macros expanded, validated), whether it ran to completion, and how
many rows it gave; then the totals. A search that cannot run must say why (missing lookup, no
GeoIP database, not supported) and never end in a traceback: those are counted as crashes.
With --engine, each search that ran in memory runs again on that engine over the same events:
it must give the same table or say it is not supported there ("differ" counts the others).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spl_lite  # noqa: E402

SHARED = ROOT.parent / "shared"


def load_engine(lookups: Path, engine: str = "memory") -> spl_lite.Engine:
    engine = spl_lite.Engine(lookups_dir=lookups, engine=engine)
    for line in (SHARED / "corpus" / "macros.jsonl").read_text().splitlines():
        m = json.loads(line)
        engine.define_macro(m["name"], m["definition"], m.get("args", ()))
    data = SHARED / "data"
    for path in sorted(data.glob("*.ndjson")) + [data / "s3_records"]:
        engine.load(path)
    return engine


def reason(error: spl_lite.SplError) -> str:
    text = error.message
    for marker in ("not supported", "GeoIP", "does not exist", "macro"):
        if marker in text:
            return f"{error.command}: {text}"
    return f"{error.command}: {text}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", action="store_true", help="every target in the corpus, not only raw CloudTrail")
    ap.add_argument("--verbose", action="store_true", help="print each search's text and error")
    ap.add_argument("--engine", choices=("duckdb", "spark"), help="also run each search on this engine")
    args = ap.parse_args()
    totals, _ = conformance(all_targets=args.all, verbose=args.verbose, out=print, engine=args.engine)
    return 1 if totals["crashes"] or totals["differ"] else 0


def table(result) -> tuple:
    return list(result.fields), [[r.get(f) for f in result.fields] for r in result.rows]


def on_other_engine(other, text: str, memory_result, totals: Counter) -> str:
    """The other engine's verdict on a search memory ran: same, refused or differ."""
    from spl_lite.sql.expressions import Unsupported
    try:
        answer = other.search(text)
    except Unsupported:
        totals["refused"] += 1
        return "refused"
    except spl_lite.SplError as e:
        totals["differ"] += 1
        return f"DIFFER (error: {e.message[:80]})"
    if table(answer) != table(memory_result):
        totals["differ"] += 1
        return "DIFFER"
    totals["same"] += 1
    return "same"


def conformance(all_targets: bool = False, verbose: bool = False, out=lambda *line: None, engine=None):
    """(totals, reasons) of running the corpus; ``out`` receives the report line by line;
    ``engine``: an engine to run each search memory ran on, and compare."""
    print = out  # noqa: A001 (the report goes where the caller wants it)
    queries = [json.loads(line) for line in (SHARED / "corpus" / "spl_queries.jsonl").read_text().splitlines()]
    if not all_targets:
        queries = [q for q in queries if q.get("target") == "raw_cloudtrail"]
    with tempfile.TemporaryDirectory() as lookups:
        other = load_engine(Path(lookups), engine) if engine else None
        engine = load_engine(Path(lookups))
        totals = Counter()
        failures = Counter()
        for q in queries:
            plain = not q.get("requires")
            totals["queries"] += 1
            totals["plain"] += plain
            status, rows, why = "", "", ""
            try:
                query = engine.compile(q["spl"])
                totals["compiled"] += 1
                status = "parsed"
                result = query.run()
                totals["ran"] += 1
                totals["ran_plain"] += plain
                status, rows = "ran", str(len(result.rows))
                totals["with_rows"] += bool(result.rows)
                if other is not None:
                    verdict = on_other_engine(other, q["spl"], result, totals)
                    if verdict != "refused":
                        status = "ran " + verdict
            except spl_lite.SplError as e:
                why = reason(e)
                failures[why.split(":")[0] + ": " + (e.message[:70])] += 1
                if plain and status == "parsed":
                    totals["plain_failed_at_run"] += 1
            except Exception:  # a traceback is a defect: count it and show it
                totals["crashes"] += 1
                why = "CRASH " + traceback.format_exc().strip().splitlines()[-1]
            req = ",".join(r.split(" ")[0] for r in q.get("requires") or []) or "-"
            print(f"{status or 'failed':7} {rows:>5}  {req[:28]:28}  {q['id'][:70]}")
            if why and (verbose or why.startswith("CRASH")):
                print(f"          {why}")
    n, plain = totals["queries"], totals["plain"]
    print()
    print(f"compiled: {totals['compiled']}/{n} ({100 * totals['compiled'] / n:.1f}%)")
    print(f"ran to completion: {totals['ran']}/{n}; of the {plain} that need no lookup file, GeoIP database, "
          f"ML command or placeholder: {totals['ran_plain']}/{plain} ({100 * totals['ran_plain'] / max(plain, 1):.1f}%)")
    print(f"gave rows: {totals['with_rows']}; tracebacks: {totals['crashes']}")
    if other is not None:
        print(f"on {other.executor.name}: of the {totals['ran']} that ran in memory, {totals['same']} gave the same "
              f"table, {totals['refused']} said they are not supported there, {totals['differ']} differed")
    print("why the others stopped:")
    for why, count in failures.most_common():
        print(f"  {count:4}  {why}")
    return totals, failures


if __name__ == "__main__":
    sys.exit(main())
