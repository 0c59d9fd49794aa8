"""sort: order results by fields (auto, num, str, ip), missing values last."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime.values import get_field, sort_key_auto, sort_key_ip, sort_key_num, sort_key_str
from ..syntax import ast
from .base import Command, Kind, to_int
from ..columnar.kernels import sort_selection

KEY_FUNCTIONS = {"auto": sort_key_auto, "num": sort_key_num, "str": sort_key_str, "ip": sort_key_ip}
DEFAULT_LIMIT = 10000


def resolve_keys(cls, keys) -> list[tuple[str, bool, str]]:
    """(field, descending, mode) per key; a sign followed by a space covers the later keys."""
    out, sticky = [], None
    for k in keys:
        if k.mode not in KEY_FUNCTIONS:
            raise cls.error(f"Unknown sort function '{k.mode}'. Use auto(), num(), str() or ip().", k.span)
        if k.sign is not None:
            desc = k.sign == "-"
            sticky = desc if k.sticky else None
        else:
            desc = bool(sticky)
        out.append((k.field, desc, k.mode))
    return out


def sort_events(events: list, keys) -> list:
    """A stable sort on several keys; missing values sort last whichever the direction."""
    for name, desc, mode in reversed(keys):
        keyfn = KEY_FUNCTIONS[mode]
        def key(ev, name=name, keyfn=keyfn, desc=desc):
            v = get_field(ev, name)
            if v is None:
                return (not desc, ())
            return (desc, keyfn(v))
        # Python's sort stays stable with reverse=True, so equal keys keep their input order.
        events.sort(key=key, reverse=desc)
    return events


@dataclass(frozen=True)
class SortCommand(Command):
    """Order results by fields: - for descending, num()/str()/ip() to force a comparison."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "sort"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = "sort [<N>] [limit=<N>] [+|-]<field>|num(<f>)|str(<f>)|ip(<f>) [, ...] [desc]"
    example: ClassVar[str] = "sort - count, userName"
    options: ClassVar[dict] = {"limit": to_int}

    keys: tuple = ()
    limit: int = DEFAULT_LIMIT
    reverse_all: bool = False

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        limit = opts.get("limit", DEFAULT_LIMIT)
        keys = [i for i in args.items if isinstance(i, ast.SortKey)]

        def bare(k):
            return k.sign is None and k.mode == "auto"
        if len(keys) > 1 and bare(keys[0]) and keys[0].field.isdigit():
            limit = to_int(keys.pop(0).field)
        last = args.items.index(keys[-1]) if keys else 0
        after_comma = last > 0 and isinstance(args.items[last - 1], ast.Sign)
        reverse_all = len(keys) > 1 and bare(keys[-1]) and keys[-1].field.lower() in ("d", "desc") \
            and not after_comma
        if reverse_all:
            keys.pop()
        return cls(args.span, tuple(resolve_keys(cls, keys)), limit, reverse_all)

    def fields_read(self):
        return frozenset(k[0] for k in self.keys)

    def prepare(self, env):
        keys = list(self.keys)
        if self.reverse_all:
            keys = [(f, not d, m) for f, d, m in keys]
        limit = self.limit

        def run(events, ctx):
            columns = sort_selection(events, keys, KEY_FUNCTIONS, limit)
            if columns is not None:
                limits.check_held(len(events), self.name, self.span)
                return columns
            ordered = sort_events(limits.collect(events, self.name, self.span), keys)
            return iter(ordered[:limit] if limit else ordered)
        return run
