"""addtotals and uniq: row sums of numeric fields; dropping repeats of the previous result."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..runtime.values import event_fields, match_field_names, to_number, values_of, copy_event
from ..syntax import ast
from .base import Command, Kind, to_bool, to_text


def _sum(values):
    nums = [n for n in (to_number(x) for v in values for x in values_of(v)) if n is not None]
    return sum(nums) if nums else None


@dataclass(frozen=True)
class AddtotalsCommand(Command):
    """Add each result's numeric fields into Total (row=t), and/or a row of column sums (col=t)."""

    name: ClassVar[str] = "addtotals"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = ("addtotals [row=<bool>] [col=<bool>] [fieldname=<name>] [labelfield=<field>] "
                             "[label=<text>] [<field>...]")
    example: ClassVar[str] = "addtotals fieldname=calls Describe* Get*"
    options: ClassVar[dict] = {"row": to_bool, "col": to_bool, "fieldname": to_text, "labelfield": to_text,
                               "label": to_text}

    fields: tuple[str, ...] = ()
    opts: tuple = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        return cls(args.span, tuple(w.text for w in args.items if isinstance(w, ast.Word)), tuple(sorted(opts.items())))

    def fields_read(self):
        return frozenset(self.fields) if self.fields and not any("*" in f for f in self.fields) else None

    def prepare(self, env):
        o = dict(self.opts)
        row, col = o.get("row", True), o.get("col", False)
        total_name = o.get("fieldname", "Total")

        def chosen(fields: dict) -> list[str]:
            if not self.fields:
                return [k for k in fields if not k.startswith("_") and k != total_name]
            return [n for p in self.fields for n in match_field_names(p, list(fields))]

        def run(events, ctx):
            sums: dict[str, float] = {}
            for ev in events:
                fields = event_fields(ev)
                names = chosen(fields)
                if row:
                    total = _sum(fields[n] for n in names)
                    if total is not None:
                        ev = copy_event(ev)
                        ev[total_name] = total
                if col:
                    for n in names + ([total_name] if row else []):
                        value = _sum([fields.get(n) if n != total_name else ev.get(n)])
                        if value is not None:
                            sums[n] = sums.get(n, 0) + value
                yield ev
            if col:
                summary = dict(sums)
                if o.get("labelfield"):
                    summary[o["labelfield"]] = o.get("label", "Total")
                yield summary
        return run


@dataclass(frozen=True)
class UniqCommand(Command):
    """Drop each result that is identical, in every field, to the one just before it."""

    name: ClassVar[str] = "uniq"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "uniq"
    example: ClassVar[str] = "uniq"

    @classmethod
    def from_args(cls, args):
        cls.reject_extra(args.items)
        return cls(args.span)

    def fields_read(self):
        return None

    def prepare(self, env):
        def run(events, ctx):
            previous = None
            for ev in events:
                fields = event_fields(ev)
                if fields != previous:
                    yield ev
                previous = fields
        return run
