"""The spl-lite command's entry point, kept light: Ctrl-C or SIGTERM at any moment, while the
command's modules are still being imported too, ends it with one line and exit status 130 or
143, never a traceback."""
from __future__ import annotations

import os
import signal
import sys


def _terminated(signum, frame):
    # SIGTERM unwinds like Ctrl-C, so what a command was writing (an ingest's dataset) is
    # cleaned up on the way out.
    raise SystemExit(128 + signum)


def leave_quietly(status: int) -> int:
    """After an interruption: a second Ctrl-C while leaving ends the process at once, quietly."""
    signal.signal(signal.SIGINT, lambda *_: os._exit(status))
    try:
        print("Interrupted.", file=sys.stderr)
    except (OSError, ValueError):
        pass
    return status


def main() -> int:
    try:
        signal.signal(signal.SIGTERM, _terminated)
        # Ctrl-C waits while the command's modules are imported: one arriving in a C
        # extension's start-up was seen to crash the process (SIGSEGV) or print a traceback
        # from deep in an import. It is delivered, as KeyboardInterrupt, as soon as they are in.
        mask = getattr(signal, "pthread_sigmask", None)  # not on Windows
        blocked = {signal.SIGINT, signal.SIGTERM}
        if mask:
            mask(signal.SIG_BLOCK, blocked)
        try:
            from .cli import main as command
        finally:
            if mask:
                mask(signal.SIG_UNBLOCK, blocked)
        return command()
    except KeyboardInterrupt:
        return leave_quietly(130)
