"""How a worker process is started: with this process's spl_lite, whatever folder it runs in."""
from __future__ import annotations

import sys
from pathlib import Path


def worker_command(module: str, *args: str) -> list[str]:
    """The command line of a process that runs ``module``'s ``_worker(*args)``. The folder this
    spl_lite was imported from comes first on the worker's path and the current folder not at
    all: ``python -m`` puts the current folder first, so run from a folder holding another
    spl_lite (a checkout of another version, say) the worker would read its ranges with other
    code than the engine that merges them."""
    root = str(Path(__file__).resolve().parents[2])
    # Ctrl-C reaches the whole process group: the engine that started a worker stops it, and
    # a worker whose engine went away ends without a word (no traceback of a broken pipe).
    code = (f"import signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
            f"signal.signal(signal.SIGPIPE, signal.SIG_DFL); sys.path[0] = {root!r}; "
            f"from {module} import _worker; _worker(*sys.argv[1:])")
    return [sys.executable, "-c", code, *args]
