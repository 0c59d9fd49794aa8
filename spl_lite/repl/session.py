"""What a REPL session does with each input, with or without a terminal: meta-commands and
searches, their output, and the rule that no search, however it fails, ends the session."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

from .. import Engine, SplError
from ..errors import internal_error
from ..render import render
from .meta import Quit, run_meta


class Session:
    def __init__(self, engine: Engine, *, write=None, pager: bool | None = None):
        self.engine = engine
        self.format = "table"
        self.output: str | None = None
        self.timing = False
        self._catalog = None
        self.write = write or (lambda text: print(text, flush=True))
        self.use_pager = sys.stdout.isatty() if pager is None else pager

    @property
    def catalog(self):
        """What completion and .fields draw on, built on first use (after a .load, again)."""
        if self._catalog is None:
            self._catalog = self.engine.catalog()
        return self._catalog

    def refresh_catalog(self) -> None:
        self._catalog = None

    def handle(self, text: str) -> None:
        """Run one input: a meta-command or a search. Only .quit (Quit) leaves."""
        try:
            self._handle(text)
        except (Quit, SystemExit):
            raise
        except KeyboardInterrupt:
            self.show("Search cancelled.")
        except SplError as e:
            self.show(str(e))
        except Exception as e:  # noqa: BLE001 - a bug must not end the session
            self.show(internal_error(e))

    def _handle(self, text: str) -> None:
        if text.strip().startswith("."):
            self.show(run_meta(self, text))
            return
        if not text.strip():
            return
        started = time.perf_counter()
        result = self.engine.compile(text).run(timing=self.timing)
        elapsed = time.perf_counter() - started
        body = render(result, self.format) if result.rows else "No results found."
        lines = [body]
        lines += [f"warning: {w}" for w in result.warnings]
        lines.append(f"{len(result.rows):,} result{'s' if len(result.rows) != 1 else ''} in {elapsed:.3f}s")
        if self.timing:
            lines += [f"  {seconds * 1000:9.2f} ms  {command}" for command, seconds in result.timings]
        if self.output:
            try:
                with open(self.output, "a", encoding="utf-8") as f:
                    f.write(render(result, self.format) + "\n")
            except OSError as e:
                lines.append(f"warning: cannot write to {self.output}: {e.strerror or e}")
        self.show("\n".join(lines), page=True)

    def show(self, text: str, page: bool = False) -> None:
        rows = shutil.get_terminal_size((80, 24)).lines
        if page and self.use_pager and text.count("\n") >= rows - 2 and shutil.which("less"):
            try:
                subprocess.run(["less", "-RFXS"], input=text.encode(), check=False)
                return
            except (OSError, KeyboardInterrupt):
                pass
        self.write(text)
