"""What every command shares: its kind, how its arguments are read, how it runs.

Kinds follow Splunk's command types: a generating command makes events (the leading search,
makeresults); a streaming command handles one event at a time (eval, where, rex); a dataset
command needs all of its input first (sort, eventstats, tail); a transforming command turns
events into a table (stats, top).
"""
from __future__ import annotations

import enum
import sys
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Iterable, Iterator

from ..errors import Span, SplError, did_you_mean
from ..syntax import ast
from ..runtime.context import RunContext
from ..syntax.ast import Pipeline, collect_fields as _collect_fields
from ..runtime.values import BODY, Event, copy_event


class Kind(enum.Enum):
    GENERATING = "generating"
    STREAMING = "streaming"
    DATASET = "dataset"
    TRANSFORMING = "transforming"


Runner = Callable[[Iterator[Event], "RunContext"], Iterator[Event]]



@dataclass(frozen=True)
class Command:
    """A command as written in the query; ``prepare`` compiles it into a runner."""

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = ""
    example: ClassVar[str] = ""
    options: ClassVar[dict[str, Callable]] = {}
    makes_table: ClassVar[bool] = False  # output rows are a table with their own column order
    # Whether every event leaves with the fields_written() set by this command. Most commands
    # write only sometimes (rex without a match, rename of a missing field, a lookup that finds
    # nothing): the event's own value then stays, so it must still be read from the store.
    always_writes: ClassVar[bool] = False
    # What the command does when the memory executor hands it the store's Selection: "selection"
    # (works a column at a time and hands one on), "table" (answers from the columns), or ""
    # (reads events one by one). Shown by explain; each column path falls back to events where
    # a value needs it (a multivalue field where it matters).
    columns: ClassVar[str] = ""
    ignored_options: ClassVar[frozenset] = frozenset()  # accepted, so searches run, but without effect

    span: Span | None = field(default=None, compare=False, repr=False)

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def from_args(cls, args: ast.CommandArgs) -> "Command":
        raise NotImplementedError

    def prepare(self, env) -> Runner:
        raise NotImplementedError

    def fields_read(self) -> frozenset[str] | None:
        """The fields this command reads from its input, or None when it may read any field.

        The leading search hands this to the store, which then yields only those fields.
        """
        names: set[str] = set()
        if not _collect_fields(self, names):
            return None
        if any("*" in n for n in names) or "_raw" in names:
            return None
        return frozenset(names)

    def fields_written(self) -> frozenset[str]:
        """Fields this command creates, so later commands' reads of them need nothing stored."""
        return frozenset()

    # -------------------------------------------------------------- helpers for from_args
    @classmethod
    def error(cls, message: str, span: Span | None, hint: str | None = None) -> SplError:
        return SplError(message, command=cls.name, span=span, hint=hint)

    @classmethod
    def read_options(cls, items: Iterable, allowed: dict[str, Callable] | None = None) -> dict:
        """Converted values of the ``name=value`` options; unknown names fail with did-you-mean."""
        allowed = cls.options if allowed is None else allowed
        out = {}
        for item in items:
            if not isinstance(item, ast.Option):
                continue
            key = item.name.lower() if item.name.lower() in allowed else item.name
            conv = allowed.get(key)
            if conv is None:
                hint = did_you_mean(item.name, allowed)
                known = ", ".join(sorted(allowed)) or "none"
                raise cls.error(f"Unknown option '{item.name}'. Options: {known}.",
                                item.span, hint)
            try:
                out[key] = conv(item.value)
            except ValueError as e:
                raise cls.error(f"Invalid value \"{item.value}\" for option '{item.name}': {e}",
                                item.value_span or item.span) from None
        return out

    @classmethod
    def reject_extra(cls, items: Iterable, *allowed_types) -> None:
        for item in items:
            if not isinstance(item, allowed_types):
                raise cls.error(f"Unexpected argument. Usage: {cls.syntax}", getattr(item, "span", None))


# ------------------------------------------------------------------ option converters

def to_int(text: str) -> int:
    """A whole number as written; one too large to mean anything but "all" is kept at sys.maxsize."""
    try:
        n = int(text)
    except ValueError:
        raise ValueError("expected a whole number") from None
    return max(-sys.maxsize, min(n, sys.maxsize))


def to_bool(text: str) -> bool:
    t = text.lower()
    if t in ("t", "true", "1", "yes", "y"):
        return True
    if t in ("f", "false", "0", "no", "n"):
        return False
    raise ValueError("expected true or false")


def to_text(text: str) -> str:
    return text


def words(items) -> list[ast.Word]:
    return [i for i in items if isinstance(i, ast.Word)]


def writable(ev: Event) -> Event:
    """An event a command may write to: a copy of a stored event, else the event itself.

    Events from the store are shared by every search; anything else was made by this run of
    the pipeline and passes through each command once, so it can be changed in place.
    """
    return copy_event(ev) if BODY in ev else ev


__all__ = ["Command", "Kind", "Pipeline", "RunContext", "to_int", "to_bool",
           "to_text", "words", "writable"]
