"""The command every rule starts from: the search of the stored events that begins a plan."""
from __future__ import annotations

from collections.abc import Sequence

from ...commands.search import SearchCommand


def leading_search(commands: Sequence) -> SearchCommand | None:
    """The plan's leading search, or None when it starts with a generating command."""
    first = commands[0] if commands else None
    return first if isinstance(first, SearchCommand) and first.leading else None
