"""rename: rename fields (wildcards allowed on both sides)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import BODY, event_fields, get_field, remove_field
from ..runtime.values.scalar import Wildcard
from ..syntax import ast
from .base import Command, Kind


def _wildcard_rename(old: str, new: str):
    pattern = Wildcard(old, ignore_case=False)
    parts = new.split("*")

    def target(name: str) -> str | None:
        groups = pattern.runs(name)  # as (.*?) runs capture, in linear time
        if groups is None:
            return None
        out = parts[0]
        for g, p in zip(groups, parts[1:]):
            out += g + p
        return out
    return target


@dataclass(frozen=True)
class RenameCommand(Command):
    """Rename fields: rename a AS b, c* AS d*."""

    name: ClassVar[str] = "rename"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "rename <field> AS <newname> [, <field> AS <newname>]..."
    example: ClassVar[str] = "rename userIdentity.arn AS arn, sourceIPAddress AS src_ip"

    pairs: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_args(cls, args: ast.CommandArgs):
        pairs = []
        for p in args.items:
            if not isinstance(p, ast.RenamePair):
                raise cls.error("Usage: rename [old_name AS/TO/-> new_name]+.", getattr(p, "span", args.span))
            old, new = p.old.text, p.new.text
            if old.count("*") != new.count("*"):
                raise cls.error("Wildcard mismatch: both names need the same number of '*'.", p.span)
            pairs.append((old, new))
        if not pairs:
            raise cls.error("Usage: rename [old_name AS/TO/-> new_name]+.", args.span)
        return cls(args.span, tuple(pairs))

    def fields_written(self):
        return frozenset(new for _, new in self.pairs)

    def fields_read(self):
        if any("*" in old for old, _ in self.pairs):
            return None
        return frozenset(n for pair in self.pairs for n in pair)

    def prepare(self, env):
        plan = [(old, new, _wildcard_rename(old, new) if "*" in old else None) for old, new in self.pairs]

        def rename_one(ev, old, new):
            value = get_field(ev, old)
            if value is None and get_field(ev, new) is None:
                return ev
            if BODY not in ev and old in ev:
                # Keep the column where it was, as Splunk's table does.
                ev = {(new if k == old else k): v for k, v in ev.items() if k != new or old == new}
                if value is None:
                    ev[new] = None
                return ev
            remove_field(ev, old)
            ev[new] = value
            return ev

        def run(events, ctx):
            for ev in events:
                ev = dict(ev)
                for old, new, wild in plan:
                    if wild is None:
                        ev = rename_one(ev, old, new)
                        continue
                    for name in list(event_fields(ev)):
                        target = wild(name)
                        if target is not None and target != name:
                            ev = rename_one(ev, name, target)
                yield ev
        return run
