"""The interactive prompt: completion, highlighting, history, meta-commands, pager, Ctrl-C."""
from __future__ import annotations

import os
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.styles import Style

from .. import Engine, SplError
from ..errors import internal_error
from ..syntax.parser import command_at
from .completer import SplCompleter, needs_more
from .highlight import SplLexer
from .meta import Quit
from .session import Session

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


class Repl(Session):
    def __init__(self, engine: Engine, *, input=None, output=None, history: bool = True,
                 write=None, pager: bool | None = None):
        super().__init__(engine, write=write, pager=pager)
        hist = FileHistory(str(self._history_file())) if history else InMemoryHistory()
        self.session: PromptSession = PromptSession(
            message=[("class:prompt", "spl> ")], prompt_continuation="...> ", multiline=True,
            lexer=SplLexer(), completer=SplCompleter(lambda: self.catalog), complete_while_typing=False,
            history=hist, auto_suggest=AutoSuggestFromHistory(), key_bindings=key_bindings(),
            bottom_toolbar=self.toolbar, style=STYLE, input=input, output=output)

    @staticmethod
    def _history_file() -> Path:
        path = history_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # no writable state directory: history lives in memory only
        return path

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
            except Exception as e:  # noqa: BLE001 - the toolbar never takes the prompt down
                if not isinstance(e, SplError):
                    return [("class:toolbar.error", " " + internal_error(e))]
                # A search that is merely unfinished is not an error yet.
                unfinished = e.span is not None and e.span.start >= len(text.rstrip()) - 1 and (
                    "ends too early" in e.message or "after '|'" in e.message)
                if not unfinished:
                    return [("class:toolbar.error", " " + e.headline)]
        before = text[:cursor]
        info = self.catalog.commands.get(command_at(before, len(before)) if "|" in before else "search")
        return f" {info.syntax}" if info else ""

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


def run_repl(engine: Engine, loaded_message: str) -> int:
    repl = Repl(engine)
    repl.write(f"{loaded_message} Type .help for help, Tab to complete.")
    return repl.run()
