"""Reading for spl-lite ingest on every core: worker processes (this module's _worker, so
nothing of the caller's program is imported again) each parse a share of the files with the
loader and add their events to a staging DuckDB database of their own. An event's ``_seq`` is
its file's place in load order times 2**32 plus its place in the file, so the union of the
staging tables keeps the order one reader would have given."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
from typing import Any
from pathlib import Path

from ..store.files import find_files
from ..store.loader import LoadReport, load_paths
from ..store.worker_process import worker_command

FILE_SHIFT = 32
WORKER_MEMORY = "512MB"  # what each worker's DuckDB may cache of the rows it stages


def files_to_read(paths, report: LoadReport) -> list[Path]:
    """Every file the paths name, in load order, each real file once."""
    seen: set = set()
    return [f for p in paths for f in find_files(p, report, seen)]


def _to_json(report: LoadReport) -> dict:
    return {k: sorted(v) if isinstance(v, set) else v for k, v in dataclasses.asdict(report).items()}


def _from_json(data: dict) -> LoadReport:
    fields: dict[str, Any] = {k: set(v) if k in ("accounts", "regions") else v for k, v in data.items()}
    return LoadReport(**fields)


def read_in_workers(files: list[Path], work: Path, report: LoadReport, options: dict, batch: int,
                    progress=None, workers: int | None = None) -> list[Path]:
    """Parse ``files`` in worker processes into staging databases under ``work``; the loaders'
    reports are merged into ``report`` in load order. Returns the staging databases."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(files)))
    shares = [[(p, str(f)) for p, f in enumerate(files) if p % workers == n] for n in range(workers)]
    procs: list[subprocess.Popen] = []
    finished: dict[int, LoadReport] = {}
    so_far = LoadReport()
    lock = threading.Lock()

    def collect(proc, share):
        proc.stdin.write(json.dumps({"files": share, "options": options, "batch": batch, "memory": WORKER_MEMORY}))
        proc.stdin.close()
        for line in proc.stdout:
            item = json.loads(line)
            done = _from_json(item["report"])
            with lock:
                finished[item["position"]] = done
                so_far.merge(done)
                if progress is not None:
                    progress(so_far)

    try:
        # Started inside the try: a SIGTERM while the workers start stops those already running.
        for n in range(workers):
            procs.append(subprocess.Popen(worker_command(__name__, str(work / f"staging-{n}.duckdb")),
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        threads = [threading.Thread(target=collect, args=(p, s), daemon=True) for p, s in zip(procs, shares)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = [p.wait() for p in procs]
    except BaseException:
        for p in procs:  # stopped (Ctrl-C, SIGTERM): no worker goes on writing into the work folder
            p.kill()
            p.wait()
        raise
    if any(codes) or len(finished) != len(files):
        raise RuntimeError(f"an ingest worker stopped (exit code {max(codes)})")
    for position in sorted(finished):  # problems reported in load order, whichever worker read them
        report.merge(finished[position])
    return [work / f"staging-{n}.duckdb" for n in range(workers)]


def _worker(database: str) -> None:
    import duckdb
    from .parquet import _Staging
    given = sys.stdin.read()
    if not given:
        return  # the engine went away before it handed out the work: nothing to do, nothing to say
    task = json.loads(given)
    db = duckdb.connect(database)
    # DuckDB would otherwise keep up to 80% of the machine's memory of staged rows cached.
    db.execute("SET memory_limit = $1", [task["memory"]])
    staging = _Staging(db, task["batch"])
    for position, name in task["files"]:
        try:
            staging.start(position << FILE_SHIFT)
            report = load_paths([name], staging, seen_files=set(), **task["options"])
            staging.flush()
        except Exception as e:  # noqa: BLE001 - reported with the file, never lost
            report = LoadReport(errors=[f"{name}: {type(e).__name__}: {e}"], bad_files=1)
        print(json.dumps({"position": position, "report": _to_json(report)}), flush=True)
    db.close()


if __name__ == "__main__":
    _worker(sys.argv[1])
