"""Which files a --data argument names, and their bytes.

Each real file is read once, however many paths, globs or symbolic links reach it; a directory
reached again through a link loop is not walked again. What is passed over (an unknown kind of
file, a broken link, a directory that cannot be read) is reported with its reason. Compressed
files are opened with a limit on their decompressed size, so a compression bomb stops with a
message instead of filling memory.
"""
from __future__ import annotations

import bz2
import glob
import gzip
import io
from typing import Any
import lzma
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

import regex as _regex

from .. import limits

JSON_SUFFIXES = (".json", ".ndjson", ".jsonl", ".log")
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
ARCHIVE_SUFFIXES = (".zip",)
KINDS = "JSON, NDJSON, .gz, .bz2, .xz or .zip"


class FileProblem(Exception):
    """A file that cannot be loaded; the message says why."""


def is_data_file(name: str) -> bool:
    n = name.lower()
    return n.endswith(JSON_SUFFIXES + COMPRESSED_SUFFIXES + ARCHIVE_SUFFIXES)


def find_files(arg, report, seen: set[str]) -> list[Path]:
    """The files to load for one --data argument (a file, a directory or a glob), each real
    file once across ``seen``; what is passed over goes into the report."""
    p = Path(arg)
    if os.path.lexists(p) and not p.exists():
        _skip(report, p, "a broken symbolic link")
        return []
    if p.is_file():
        return _once(p, seen)
    if p.is_dir():
        return _walk(p, report, seen)
    if "**" in str(arg):
        return _recursive_glob(str(arg), report, seen)
    matches = sorted(glob.glob(str(arg)))
    if not matches:
        raise FileNotFoundError(f"No such file, directory or glob match: {arg}")
    files: list[Path] = []
    visited: set[str] = set()
    for m in matches:
        mp = Path(m)
        if mp.is_dir():
            files += _walk(mp, report, seen, visited)
        elif mp.is_file() and is_data_file(m):
            files += _once(mp, seen)
        elif mp.exists() and not mp.is_file():
            _skip(report, mp, NOT_REGULAR)
        elif not mp.is_dir():
            _passed_over(mp, report)
    return files


def _recursive_glob(pattern: str, report, seen: set[str]) -> list[Path]:
    """dir/**/x*.json: the loop-safe walk below the fixed part, filtered by the pattern (glob's
    own ** follows link loops for ever)."""
    head = pattern.split("**", 1)[0]
    base = head.rsplit(os.sep, 1)[0] if os.sep in head else "."
    if any(c in base for c in "*?["):
        bases = [b for b in sorted(glob.glob(base)) if os.path.isdir(b)]
    else:
        bases = [base] if os.path.isdir(base or os.sep) else []
    rx = _glob_regex(pattern)

    def keep(f: Path) -> bool:
        # A glob of many *s can take a regex polynomial time on a long path: the regex limit
        # stops it with a clear error (the regex package's timeout), never a hang.
        try:
            return rx.fullmatch(str(f), timeout=limits.current().regex_seconds) is not None
        except TimeoutError:
            raise FileNotFoundError(f"The glob {pattern} took too long to match {f} (limit regex_seconds="
                                    f"{limits.current().regex_seconds:g}): use fewer *s") from None

    files: list[Path] = []
    visited: set[str] = set()
    for b in bases:
        files += _walk(Path(b or os.sep), report, seen, visited, keep=keep)
    if not files and not bases:
        raise FileNotFoundError(f"No such file, directory or glob match: {pattern}")
    return files


def _glob_regex(pattern: str):
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            c = pattern[i]
            out.append("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c))
            i += 1
    return _regex.compile("".join(out), _regex.DOTALL)


def _once(p: Path, seen: set[str]) -> list[Path]:
    real = os.path.realpath(p)
    if real in seen:
        return []
    seen.add(real)
    return [p]


def _walk(top: Path, report, seen: set[str], visited: set[str] | None = None, keep=None) -> list[Path]:
    visited = set() if visited is None else visited
    files: list[Path] = []

    def unreadable(e: OSError):
        _skip(report, Path(e.filename or top), f"cannot read the directory ({e.strerror})")

    for dirpath, dirnames, filenames in os.walk(top, onerror=unreadable, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in visited:
            dirnames[:] = []  # a link back into a directory already walked: a loop, or the same tree
            continue
        visited.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            f = Path(dirpath) / name
            if keep is not None and not keep(f):
                continue
            if not f.exists():
                _skip(report, f, "a broken symbolic link")
            elif not f.is_file():  # a FIFO, a socket, a device or a link to one
                _skip(report, f, NOT_REGULAR)
            elif is_data_file(name):
                files += _once(f, seen)
            else:
                _passed_over(f, report)
    return files


def _passed_over(f: Path, report) -> None:
    if f.name.startswith("."):
        return  # hidden files (.DS_Store, editors' swap files) are nobody's data
    _skip(report, f, f"not a {KINDS} file")


def _skip(report, path: Path, reason: str) -> None:
    report.errors.append(f"{path}: {reason}")
    report.bad_files += 1


NOT_REGULAR = "not a regular file (a FIFO, a device or a socket): not read"


def open_regular(path):
    """A file opened for reading, only when it is a regular file: a FIFO would block for ever
    and a device (a link to /dev/urandom) never ends. Opened without blocking, then checked."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileProblem(NOT_REGULAR)
    except BaseException:
        os.close(fd)
        raise
    # Outside the try: once fdopen has the descriptor it owns it. Closing it here too, after a
    # Ctrl-C that landed inside fdopen, turned the KeyboardInterrupt into "Bad file descriptor"
    # (a data model skipped and the search going on).
    return os.fdopen(fd, "rb")


def read_regular(path) -> bytes:
    """A regular file's bytes (FileProblem for anything else)."""
    with open_regular(path) as f:
        return f.read()


def read_file_bytes(path: Path) -> bytes:
    """A file's bytes, decompressed by its content (gzip, bzip2, xz), within the size limit."""
    with open_regular(path) as f:
        head = f.read(6)
        f.seek(0)
        if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00":
            return decompress(f.read())
        data = f.read(limits.current().file_bytes + 1)
    return _bounded(data)


def decompress(data: bytes) -> bytes:
    """Bytes as stored (perhaps compressed) -> their content, within the size limit."""
    opener: Any = None
    if data[:2] == b"\x1f\x8b":
        opener = gzip.GzipFile
    elif data[:3] == b"BZh":
        opener = bz2.BZ2File
    elif data[:6] == b"\xfd7zXZ\x00":
        opener = lzma.LZMAFile
    if opener is None:
        return _bounded(data)
    if opener is gzip.GzipFile:
        return _gunzip(data)
    try:
        with opener(fileobj=io.BytesIO(data)) if opener is gzip.GzipFile else opener(io.BytesIO(data)) as f:
            out = f.read(limits.current().file_bytes + 1)
    except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError) as e:
        raise FileProblem(f"corrupt or truncated compressed data ({e})") from None
    return _bounded(out)


class Salvaged(bytes):
    """What decompressed of a file that holds more after it (``problem`` says what)."""

    problem: str = ""


def _gunzip(data: bytes) -> bytes:
    """gzip members one after another (cat a.gz b.gz is one gzip file). Bytes after the last
    whole member that are no gzip member (a copy cut short, padding) do not lose what came
    before them: it is kept, and ``problem`` of the result says what was left."""
    limit = limits.current().file_bytes
    out: list[bytes] = []
    size, pos = 0, 0
    problem = ""
    while pos < len(data):
        if data[pos:pos + 2] != b"\x1f\x8b":
            if data[pos:].strip(b"\x00"):  # zero padding after the last member is no loss
                problem = f"{len(data) - pos:,} bytes after the compressed data are not gzip data and were not read"
            break
        d = zlib.decompressobj(wbits=31)
        try:
            chunk = d.decompress(data[pos:], limit + 1 - size)
        except zlib.error as e:
            if not out:
                raise FileProblem(f"corrupt or truncated compressed data ({e})") from None
            problem = f"corrupt compressed data after {size:,} bytes ({e}); what came before was read"
            break
        out.append(chunk)
        size += len(chunk)
        if size > limit:
            return _bounded(b"".join(out))  # the limit's error
        if not d.eof:
            problem = f"the compressed data is cut short after {size:,} bytes; what came before was read"
            break
        pos = len(data) - len(d.unused_data)
    result = Salvaged(_bounded(b"".join(out)))
    result.problem = problem
    return result


def _bounded(data: bytes) -> bytes:
    limit = limits.current().file_bytes
    if len(data) > limit:
        raise FileProblem(f"larger than {limit:,} bytes once decompressed (limit file_bytes); "
                          "raise it with --limit file_bytes=N")
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    return data


def zip_members(path: Path, report, pruned):
    """(name, bytes) of each data file inside a zip archive, in name order; a member that is
    corrupt, encrypted or too large is reported and the others still load."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        _skip(report, path, f"cannot read the zip archive ({e})")
        return
    limit = limits.current().file_bytes
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            name = f"{path}!{info.filename}"
            if info.is_dir() or not is_data_file(info.filename) or pruned(name):
                continue
            try:
                if info.file_size > limit:
                    raise FileProblem(f"larger than {limit:,} bytes once decompressed (limit file_bytes)")
                with zf.open(info) as f:
                    data = f.read(limit + 1)
                yield name, decompress(data)
            except FileProblem as e:
                _skip(report, Path(name), str(e))
            except (OSError, EOFError, zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError) as e:
                _skip(report, Path(name), f"cannot read it from the archive ({e})")


class FileText:
    """A plain NDJSON file's bytes, left on disk at load: a search run once that reads only
    the columns made at load needs none of them, or a few events' lines (``slice``)."""
    __slots__ = ("path", "stamp", "reads")
    SLICES = 1024  # lines read one by one before the whole file is

    def __init__(self, path: str):
        self.path = path
        self.stamp = _stamp(path)
        self.reads = 0

    def read(self) -> bytes:
        self._check()
        try:
            return read_file_bytes(Path(self.path))
        except (FileProblem, OSError) as e:
            raise _gone(self.path, e) from None

    def slice(self, start: int, end: int) -> bytes:
        self._check()
        self.reads += 1
        try:
            with open(self.path, "rb") as f:
                return os.pread(f.fileno(), end - start, start)
        except OSError as e:
            raise _gone(self.path, e) from None

    def _check(self) -> None:
        try:
            same = _stamp(self.path) == self.stamp
        except OSError as e:
            raise _gone(self.path, e) from None
        if not same:
            from ..errors import SplError
            raise SplError(f"{self.path} changed after it was loaded: load it again.")


def _gone(path: str, e: Exception):
    from ..errors import SplError
    return SplError(f"{path} cannot be read again: {e}")


def _stamp(path: str) -> tuple:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns
