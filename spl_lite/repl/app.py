"""The interactive prompt: completion, highlighting, history, meta-commands, pager, Ctrl-C."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.styles import Style

from .. import Engine, SplError
from ..render import render
from ..syntax.parser import command_at
from .completer import SplCompleter, needs_more
from .highlight import SplLexer
from .meta import Quit, run_meta

STYLE = Style.from_dict({
    "prompt": "bold ansicyan", "bottom-toolbar": "bg:#222222 #bbbbbb", "toolbar.error": "bg:#222222 ansired",
    "completion-menu.completion": "bg:#303030 #dddddd", "completion-menu.completion.current": "bg:#005f87 #ffffff",
    "completion-menu.meta.completion": "bg:#262626 #999999",
})


def history_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "spl_lite" / "history"


def key_bindings() -> KeyBindings:
    kb = KeyBindings()

    @kb.add("enter")
    def _enter(event):
        buf = event.current_buffer
        if buf.complete_state and buf.complete_state.current_completion is not None:
            buf.complete_state = None  # Enter takes the chosen completion
            return
        if needs_more(buf.text):
            buf.insert_text("\n")
        else:
            buf.validate_and_handle()

    @kb.add("tab")
    def _tab(event):
        # Completions are computed here, not in the background, so that a key typed right
        # after Tab (Enter, say) always sees them.
        buf = event.current_buffer
        if buf.complete_state:
            buf.complete_next()
            return
        completions = list(buf.completer.get_completions(buf.document, CompleteEvent(completion_requested=True)))
        if len(completions) == 1:
            buf.apply_completion(completions[0])
        elif completions:
            buf._set_completions(completions)  # noqa: SLF001 (prompt_toolkit has no public setter)
            buf.go_to_completion(0)

    @kb.add("s-tab")
    def _shift_tab(event):
        buf = event.current_buffer
        if buf.complete_state:
            buf.complete_previous()

    return kb


class Repl:
    def __init__(self, engine: Engine, *, input=None, output=None, history: bool = True,
                 write=None, pager: bool | None = None):
        self.engine = engine
        self.format = "table"
        self.output: str | None = None
        self.timing = False
        self._catalog = None
        self.write = write or (lambda text: print(text, flush=True))
        self.use_pager = sys.stdout.isatty() if pager is None else pager
        hist = FileHistory(str(self._history_file())) if history else InMemoryHistory()
        self.session = PromptSession(
            message=[("class:prompt", "spl> ")], prompt_continuation="...> ", multiline=True,
            lexer=SplLexer(), completer=SplCompleter(lambda: self.catalog), complete_while_typing=False,
            history=hist, auto_suggest=AutoSuggestFromHistory(), key_bindings=key_bindings(),
            bottom_toolbar=self.toolbar, style=STYLE, input=input, output=output)

    @staticmethod
    def _history_file() -> Path:
        path = history_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def catalog(self):
        """What completion and .fields draw on, built on first use (after a .load, again)."""
        if self._catalog is None:
            self._catalog = self.engine.catalog()
        return self._catalog

    def refresh_catalog(self) -> None:
        self._catalog = None

    # -------------------------------------------------------------- the bottom toolbar
    def toolbar(self):
        buf = self.session.default_buffer
        return self.toolbar_for(buf.text, buf.cursor_position)

    def toolbar_for(self, text: str, cursor: int):
        """The syntax of the command under the cursor, or the error in the search so far."""
        if not text.strip() or text.lstrip().startswith("."):
            return " Tab completes · Enter runs (a line ending in | continues) · .help · Ctrl-D quits"
        if not needs_more(text):
            try:
                self.engine.compile(text)
            except SplError as e:
                # A search that is merely unfinished is not an error yet.
                unfinished = e.span is not None and e.span.start >= len(text.rstrip()) - 1 and (
                    "ends too early" in e.message or "after '|'" in e.message)
                if not unfinished:
                    return [("class:toolbar.error", " " + e.headline)]
        before = text[:cursor]
        info = self.catalog.commands.get(command_at(before, len(before)) if "|" in before else "search")
        return f" {info.syntax}" if info else ""

    # -------------------------------------------------------------- running input
    def handle(self, text: str) -> None:
        """Run one input: a meta-command or a search."""
        if text.strip().startswith("."):
            self.show(run_meta(self, text))
            return
        if not text.strip():
            return
        started = time.perf_counter()
        try:
            result = self.engine.compile(text).run(timing=self.timing)
        except SplError as e:
            self.show(str(e))
            return
        except KeyboardInterrupt:
            self.show("Search cancelled.")
            return
        elapsed = time.perf_counter() - started
        body = render(result, self.format) if result.rows else "No results found."
        lines = [body]
        lines += [f"warning: {w}" for w in result.warnings]
        lines.append(f"{len(result.rows):,} result{'s' if len(result.rows) != 1 else ''} in {elapsed:.3f}s")
        if self.timing:
            lines += [f"  {seconds * 1000:9.2f} ms  {command}" for command, seconds in result.timings]
        if self.output:
            with open(self.output, "a", encoding="utf-8") as f:
                f.write(render(result, self.format) + "\n")
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

    def run(self) -> int:
        while True:
            try:
                text = self.session.prompt()
            except KeyboardInterrupt:
                continue  # Ctrl-C at the prompt clears the line
            except EOFError:
                return 0
            try:
                self.handle(text)
            except Quit:
                return 0
            except KeyboardInterrupt:
                self.show("Search cancelled.")


def run_repl(engine: Engine, loaded_message: str) -> int:
    repl = Repl(engine)
    repl.write(f"{loaded_message} Type .help for help, Tab to complete.")
    return repl.run()
