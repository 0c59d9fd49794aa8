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
    code = f"import sys; sys.path[0] = {root!r}; from {module} import _worker; _worker(*sys.argv[1:])"
    return [sys.executable, "-c", code, *args]
