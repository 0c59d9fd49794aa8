"""The LALR parser built once per grammar, then read from the user's cache: Lark takes 0.2 s
to build its tables from the grammar and 0.02 s to read them back, and every `spl-lite query`
run from the shell pays the difference before it can say anything.

Lark's own cache (``cache=True``) keeps its pickle in the shared temporary folder, which any
user of the machine can write to; this one lives in the user's own cache folder, and a file
there is read only when it belongs to the user and nobody else can write it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import lark
from lark import Lark


def cached_lark(grammar: str, **options) -> Lark:
    path = _path(grammar, options)
    parser = _read(path)
    if parser is None:
        parser = Lark(grammar, **options)
        _write(path, parser)
    return parser


def _path(grammar: str, options: dict) -> Path:
    """One file per grammar, Lark version, options and Python (a pickle's classes are Lark's)."""
    key = repr((grammar, lark.__version__, sorted(options.items()), sys.version_info[:2]))
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "spl_lite" / f"parser-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}.pickle"


def _read(path: Path) -> Lark | None:
    try:
        with open(path, "rb") as f:
            if not _private(os.fstat(f.fileno())):
                return None
            return Lark.load(f)
    except Exception:  # noqa: BLE001 — missing, unreadable or damaged: build the parser again
        return None


def _private(st) -> bool:
    getuid = getattr(os, "getuid", None)
    return (getuid is None or st.st_uid == getuid()) and not st.st_mode & 0o022


def _write(path: Path, parser: Lark) -> None:
    """Written whole under another name, then renamed: a reader never sees half a file.
    A folder that cannot be written only means the next run builds the parser again."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".parser-")
        try:
            with os.fdopen(fd, "wb") as f:
                parser.save(f)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, pickle.PicklingError):
        pass
