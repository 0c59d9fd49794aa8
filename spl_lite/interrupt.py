"""Leaving after Ctrl-C, shared by the entry point (launch) and the command line (cli): one
line, exit status 130, and a second Ctrl-C while leaving ends the process at once."""
from __future__ import annotations

import os
import sys


def flush() -> None:
    """Write what stdout and stderr hold, whatever state they are in."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


_interrupted = False  # set once a run is being left after Ctrl-C (leave_quietly)


def leave_quietly(status: int) -> int:
    """After an interruption: a second Ctrl-C while leaving ends the process at once, quietly."""
    import signal  # here, not above: the entry point imports this module before it takes Ctrl-C
    global _interrupted
    _interrupted = True
    signal.signal(signal.SIGINT, lambda *_: os._exit(status))
    try:
        print("Interrupted.", file=sys.stderr)
    except (OSError, ValueError):
        pass
    return status


def happened() -> bool:
    """Whether this process is leaving after an interruption."""
    return _interrupted
