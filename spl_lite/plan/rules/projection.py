"""Projection: the scan hands on only the fields the rest of the search reads of the stored
events, up to the first command that makes a table (a stats after a where reads the where's
fields and its own). Every field when a command may read any (table *, a subsearch, searchmatch)."""
from __future__ import annotations

import dataclasses

from ...commands.base import Kind
from .leading import leading_search


def fields_needed(commands) -> frozenset[str] | None:
    """What the commands after the leading search read of the stored events; None when that is
    every field (events are the output, or a command may read any field)."""
    needed: set[str] = {"_time"}
    made: set[str] = set()
    for cmd in commands:
        read = cmd.fields_read()
        if read is None:
            return None
        needed |= read - made
        if cmd.always_writes:
            made |= cmd.fields_written()
        if cmd.kind is Kind.TRANSFORMING:
            return frozenset(needed)
    return None


def project(commands: list) -> list:
    """The plan with its leading search told which fields the rest reads."""
    if leading_search(commands) is not None:
        commands[0] = dataclasses.replace(commands[0], fields=fields_needed(commands[1:]))
    return commands
