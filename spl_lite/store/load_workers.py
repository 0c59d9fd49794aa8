"""Loading on every core: worker processes (this module's _worker, so nothing of the caller's
program is imported again) parse files, or line ranges of one large NDJSON file, into
columnar parts, which the engine's store takes in load order.

A part is what a store built in the worker holds: offsets, times, origins, the columns made
at load, and the text it copied (a range of an NDJSON file is not sent back: the engine reads
that file itself, in parallel with the workers). Reports come back per part and are merged in
load order, so problems read the same, with the same file and line, as from one process.
"""
from __future__ import annotations

import gc
import mmap
import os
import pickle
import subprocess
import sys
from pathlib import Path

from .. import limits
from ..errors import SplError
from .files import FileProblem, read_file_bytes
from .loader import LoadReport, read_data, read_file
from .records import Origins, _read_ndjson
from .worker_process import worker_command

PARALLEL_BYTES = 32 << 20  # less than this in all is loaded in the engine's own process
RANGE_BYTES = 96 << 20  # an NDJSON file larger than this is split into line ranges
_COUNT_CHUNK = 64 << 20


def workers() -> int:
    return max(1, min(limits.current().load_workers, os.cpu_count() or 1))


def plan(sources: list[tuple[str, Path, bytes | None]], n_workers: int) -> list[tuple] | None:
    """Parts to load in workers, in load order, or None when one process is as good."""
    sizes = [len(data) if data is not None else _size(path) for _, path, data in sources]
    if n_workers < 2 or sum(sizes) < PARALLEL_BYTES or (len(sources) < 2 and sizes[0] < RANGE_BYTES):
        return None
    parts: list[tuple] = []
    for (name, path, data), size in zip(sources, sizes):
        if data is None and size >= RANGE_BYTES and _plain_ndjson(path):
            cuts = _cuts(path, size, n_workers * 2)
            parts += [("range", name, str(path), a, b) for a, b in zip(cuts, cuts[1:])]
        else:
            parts.append(("file" if data is None else "member", name, str(path), data, None))
    return parts


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _plain_ndjson(path: Path) -> bool:
    """Uncompressed, one JSON object per line (its first line is one and more follows)."""
    from .records import _ndjson
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    return head[:2] != b"\x1f\x8b" and head[:3] != b"BZh" and head.lstrip()[:1] == b"{" and \
        b"\n" in head and _ndjson(head.lstrip())


def _cuts(path: Path, size: int, pieces: int) -> list[int]:
    """Offsets that split the file into about ``pieces`` ranges, each starting a line."""
    cuts = [0]
    with open(path, "rb") as f:
        for i in range(1, pieces):
            f.seek(size * i // pieces)
            f.readline()
            at = f.tell()
            if cuts[-1] < at < size:
                cuts.append(at)
    return cuts + [size]


def results(parts, options: dict, n_workers: int):
    """None once the workers have started (the caller reads its files meanwhile), then
    (exported store, report) of each part in load order; part i is read by worker i mod n,
    so reading the workers' answers in load order never waits on a full pipe."""
    procs = []
    done = False
    try:
        for w in range(n_workers):
            proc = subprocess.Popen(worker_command(__name__), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            procs.append(proc)
            assert proc.stdin is not None and proc.stdout is not None  # both are pipes
            try:
                proc.stdin.write(pickle.dumps((parts[w::n_workers], options, limits.current())))
                proc.stdin.close()
            except BrokenPipeError:
                raise _stopped(parts) from None
        yield None
        for i in range(len(parts)):
            try:
                yield pickle.load(procs[i % n_workers].stdout)  # type: ignore[arg-type]  # a pipe, asserted above
            except (EOFError, pickle.UnpicklingError, BrokenPipeError):
                raise _stopped(parts) from None
        done = True
    finally:
        for proc in procs:
            if not done:
                proc.kill()
            if proc.stdout is not None:
                proc.stdout.close()
            proc.wait()
    if any(proc.returncode for proc in procs):
        raise _stopped(parts)


def _stopped(parts) -> SplError:
    for kind, name, path, a, b in parts:
        if kind == "range" and _size(Path(path)) < b:  # a mapped range cut short stops its reader
            return SplError(f"{name} changed while it was being loaded: load it again.")
    return SplError("A loading worker process stopped before it was done (its error is above, if any).",
                    hint="load in this process with the limit load_workers=1")


def load_part(part, options: dict, lim) -> tuple[dict, LoadReport]:
    """In a worker: one part loaded into a store of its own, exported."""
    from .memory import EventStore
    limits.set_current(lim)
    kind, name, path, a, b = part
    report = LoadReport()
    store = EventStore()
    options = dict(options)
    store.load_fields = options.pop("load_fields", None)
    try:
        if kind == "range":
            wanted = options.get("wanted")
            data, base = _read_range(path, a, b, copy=bool(wanted))
            report.bytes += b - a
            report.files += a == 0
            origins = Origins(name, options["sourcetype"], options["index"], options["host"])
            store.add(_read_ndjson(data, name, report, origins, 0, wanted, options.get("fields"), a - base))
            if report.errors:
                report.errors = _renumbered(report.errors, name, _lines_before(path, a))
            report.events = len(store)
            return {**store.export(data), "offset": base}, report
        if kind == "file":
            store.add(read_file(Path(path), report, **options))
        else:
            store.add(read_data(name, a, report, **options))
    except (FileProblem, OSError) as e:
        report.errors.append(f"{name}: {e}")
        report.bad_files += 1
    report.events = len(store)
    return store.export(None), report


def _read_range(path: str, a: int, b: int, copy: bool):
    """The bytes ``a:b`` of a file (from ``base``), as (buffer, base). Mapped, not read: the
    range is never kept here (the engine reads the file itself, or leaves it on disk), and
    reading 320 MB into new memory costs 0.18 s of page faults, mapping it 0.02 s. Copied when
    its lines are searched for texts, which needs all of bytes' methods. A file cut shorter
    while mapped stops this worker (SIGBUS), which the engine reports as a changed file."""
    with open(path, "rb") as f:
        if not copy and b > a:
            base = a - a % mmap.ALLOCATIONGRANULARITY
            data = mmap.mmap(f.fileno(), b - base, access=mmap.ACCESS_READ, offset=base)
            try:
                data.madvise(_MADV_POPULATE_READ)  # the page tables filled in one call, not a fault a page
            except (AttributeError, OSError, ValueError):
                pass  # an older kernel: the pages fault in one by one
            return data, base
        f.seek(a)
        return f.read(b - a), a


_MADV_POPULATE_READ = getattr(mmap, "MADV_POPULATE_READ", 22)  # Linux 5.14; Python names it from 3.13


def _lines_before(path: str, offset: int) -> int:
    lines = 0
    with open(path, "rb") as f:
        while offset > 0:
            chunk = f.read(min(_COUNT_CHUNK, offset))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            offset -= len(chunk)
    return lines


def _renumbered(errors: list[str], name: str, lines: int) -> list[str]:
    """Problems found in a range, with line numbers counted from the file's start (the lines
    before the range are counted only when there is a problem to report)."""
    out = []
    for e in errors:
        number, sep, rest = e[len(name) + 1:].partition(":")
        out.append(f"{name}:{int(number) + lines}:{rest}" if e.startswith(name + ":") and sep and
                   number.isdigit() else e)
    return out


def read_whole(path: str) -> bytes:
    return read_file_bytes(Path(path))


def _worker() -> None:
    gc.disable()  # as in the engine's own loading: millions of new objects, none of them cyclic
    parts, options, lim = pickle.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    for part in parts:
        pickle.dump(load_part(part, options, lim), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    _worker()
