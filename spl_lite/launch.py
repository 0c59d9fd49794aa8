"""The spl-lite command's entry point, kept light: Ctrl-C or SIGTERM at any moment, while the
command's modules are still being imported too, ends it with one line and exit status 130 or
143, never a traceback."""
from __future__ import annotations

import os
import sys

from . import interrupt

# Only os and sys (loaded with the interpreter) and interrupt are imported before main's try:
# `signal` itself is imported inside it, since a Ctrl-C landing while it imports (its enums
# take a few milliseconds on Python 3.10) printed a traceback.


def _terminated(signum, frame):
    # SIGTERM unwinds like Ctrl-C, so what a command was writing (an ingest's dataset) is
    # cleaned up on the way out.
    raise SystemExit(128 + signum)


def _unraisable(args) -> None:
    # A Ctrl-C or SIGTERM that lands while a finalizer (__del__) runs cannot propagate: Python
    # prints it as "Exception ignored" and goes on. Deliver the signal again to the main
    # thread instead, from another thread a moment later: at once, it would be raised right
    # here, in the hook.
    import signal
    signum = None
    if issubclass(args.exc_type, KeyboardInterrupt):
        signum = signal.SIGINT
    elif issubclass(args.exc_type, SystemExit) and getattr(args.exc_value, "code", None) == 128 + signal.SIGTERM:
        signum = signal.SIGTERM
    if signum is None:
        sys.__unraisablehook__(args)
        return
    import _thread
    import threading
    again = threading.Timer(0.01, _thread.interrupt_main, args=(signum,))
    again.daemon = True
    again.start()


def main() -> int:
    try:
        import signal
        signal.signal(signal.SIGTERM, _terminated)
        sys.unraisablehook = _unraisable
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
        status = command()
        if not interrupt.happened():
            interrupt.flush()
            # The work is done and written. The interpreter's shutdown puts back the default
            # handlers, so a Ctrl-C arriving from here on would kill the process (-2) after a
            # complete answer, or raise in an atexit hook. Ignored signals stay ignored through
            # shutdown (blocking would not do: a library's own thread would still take them).
            for signum in blocked:
                signal.signal(signum, signal.SIG_IGN)
            return status
    except KeyboardInterrupt:
        status = interrupt.leave_quietly(130)
    # Interrupted, and what was being written is cleaned up on the way here: leave now.
    # Python's own exit would kill the process by SIGINT (-2) if the KeyboardInterrupt had
    # once passed through code a C extension ran (the interpreter keeps it as unhandled), as
    # was seen when Ctrl-C landed at the end of the imports.
    interrupt.flush()
    os._exit(status)
