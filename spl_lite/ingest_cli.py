"""spl-lite ingest: what --data accepts, written as a Parquet dataset for --engine duckdb|spark."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from .errors import SplError
from .ingest.parquet import ingest


def add_parser(sub) -> None:
    i = sub.add_parser("ingest", help="convert JSON logs to a Parquet dataset (by day) for --engine duckdb|spark")
    i.add_argument("data", nargs="+", metavar="DATA",
                   help="a JSON/NDJSON/CloudTrail file, directory, zip or glob (as --data takes)")
    i.add_argument("--out", required=True, metavar="DIR", help="a new or empty directory for the dataset")
    i.add_argument("--sourcetype", help="sourcetype for the events (default: detected)")
    i.add_argument("--index", default="main", help="index for the events (default main)")
    i.add_argument("--dedup-events", action="store_true",
                   help="keep one event per eventID (overlapping dumps)")
    i.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    i.add_argument("--memory", default="2GB", metavar="SIZE",
                   help="memory DuckDB may use to sort and write (default 2GB; the rest spills to disk)")


def run(args, progress, report_problems) -> int:
    started = time.perf_counter()
    try:
        report = ingest(args.data, Path(args.out), sourcetype=args.sourcetype, index=args.index,
                        dedup_events=args.dedup_events, progress=progress, memory_limit=args.memory)
    except SplError as e:
        print(f"spl-lite: {e}", file=sys.stderr)
        return 1
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:
        print(f"spl-lite: {e}", file=sys.stderr)
        return 2
    progress.done()
    report_problems([report])
    elapsed = time.perf_counter() - started
    days = sum(1 for p in Path(args.out).iterdir() if p.is_dir() and p.name.startswith("day="))
    size = sum(f.stat().st_size for f in Path(args.out).rglob("*.parquet"))
    dropped = f", {report.duplicates:,} duplicate events dropped" if report.duplicates else ""
    print(f"Ingested {report.events:,} events from {report.files:,} file{'s' if report.files != 1 else ''} into {args.out} ({days} days, "
          f"{size / 1e6:,.1f} MB of Parquet{dropped}) in {elapsed:.1f}s, "
          f"{report.events / max(elapsed, 1e-9):,.0f} events/s.", file=sys.stderr)
    return 0
