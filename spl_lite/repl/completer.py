"""prompt_toolkit's side of completion: suggest() results as Completions, and input rules."""
from __future__ import annotations

from prompt_toolkit.completion import Completer, Completion

from .suggest import suggest

KIND_STYLE = {"command": "class:completion.command", "function": "class:completion.function",
              "field": "class:completion.field", "value": "class:completion.value"}


class SplCompleter(Completer):
    """Completes from the engine's catalog, which is rebuilt when the data changes (.load)."""

    def __init__(self, catalog_source):
        self.catalog_source = catalog_source  # a callable returning the current Catalog

    def get_completions(self, document, complete_event):
        for s in suggest(document.text_before_cursor, self.catalog_source()):
            yield Completion(s.text, start_position=-s.replace, display=s.display or s.text,
                             display_meta=s.meta, style=KIND_STYLE.get(s.kind, ""))


def needs_more(text: str) -> bool:
    """Whether Enter should add a line instead of running: the text ends with '|', or a
    bracket, quote, backtick or comment is still open."""
    stripped = text.rstrip()
    if not stripped or stripped.startswith("."):
        return False
    if stripped.endswith("|"):
        return True
    if text.count("```") % 2:
        return True
    depth_paren = depth_square = 0
    quote = False
    backtick = False
    i = 0
    while i < len(text):
        c = text[i]
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            i = len(text) if end < 0 else end + 3
            continue
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif c == "`":
            backtick = not backtick
        elif c == "(":
            depth_paren += 1
        elif c == ")":
            depth_paren -= 1
        elif c == "[":
            depth_square += 1
        elif c == "]":
            depth_square -= 1
        i += 1
    return quote or backtick or depth_paren > 0 or depth_square > 0
