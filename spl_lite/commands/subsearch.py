"""Subsearches and the commands built on them: format, return, append, appendcols, join."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime.values import copy_event, event_fields, get_field, to_string, values_of
from ..syntax import ast
from ..compiler.subsearch import _quote, format_rows, run_subsearch
from .base import Command, Kind, to_bool, to_int, to_text



@dataclass(frozen=True)
class FormatCommand(Command):
    """Turn the results into one search string, in field `search` (what a subsearch pastes)."""

    name: ClassVar[str] = "format"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = ('format [mvsep=<text>] [maxresults=<N>] [emptystr=<text>] ["<row prefix>" '
                             '"<column prefix>" "<column separator>" "<column end>" "<row separator>" "<row end>"]')
    example: ClassVar[str] = "format maxresults=10"
    options: ClassVar[dict] = {"mvsep": to_text, "maxresults": to_int, "emptystr": to_text}

    opts: tuple = ()
    parts: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        parts = tuple(i.text for i in args.items if isinstance(i, ast.QuotedString))
        if parts and len(parts) != 6:
            raise cls.error("format takes all six of: row prefix, column prefix, column separator, column end, "
                            "row separator, row end.", args.span)
        return cls(args.span, tuple(sorted(opts.items())), parts)

    def fields_read(self):
        return None

    def prepare(self, env):
        o = dict(self.opts)
        keys = ("row_prefix", "col_prefix", "col_sep", "col_end", "row_sep", "row_end")
        style = dict(zip(keys, self.parts)) if self.parts else {}

        def run(events, ctx):
            ctx.tabular = True
            rows = [event_fields(ev) for ev in events]
            if o.get("maxresults"):
                rows = rows[:o["maxresults"]]
            yield {"search": format_rows(rows, mv_sep=o.get("mvsep", "OR"), empty=o.get("emptystr", "NOT ( )"),
                                         **style)}
        return run


@dataclass(frozen=True)
class ReturnCommand(Command):
    """Return values from the first N results as a search string: f, alias=f, or $f (bare value)."""

    name: ClassVar[str] = "return"
    kind: ClassVar[Kind] = Kind.TRANSFORMING
    makes_table: ClassVar[bool] = True
    syntax: ClassVar[str] = "return [<N>] <field> | <alias>=<field> | $<field> ..."
    example: ClassVar[str] = "return 5 sourceIPAddress"

    count: int = 1
    items: tuple = ()  # (alias or None, field, bare value)

    @classmethod
    def from_args(cls, args):
        count, items = 1, []
        for i, item in enumerate(args.items):
            if isinstance(item, ast.Word) and i == 0 and item.text.isdigit():
                count = int(item.text)
            elif isinstance(item, ast.Word):
                bare = item.text.startswith("$")
                items.append((None, item.text.lstrip("$"), bare))
            elif isinstance(item, ast.Option):
                items.append((item.name, item.value, False))
        if not items:
            raise cls.error("Usage: return [<N>] <field> | <alias>=<field> | $<field> ...", args.span)
        return cls(args.span, count, tuple(items))

    def fields_read(self):
        return frozenset(field for _, field, _ in self.items)

    def prepare(self, env):
        def run(events, ctx):
            ctx.tabular = True
            rendered: list[str] = []
            for ev in events:
                fields = event_fields(ev)
                parts = []
                for alias, field, bare in self.items:
                    v = fields.get(field)
                    if v is None:
                        continue
                    text = to_string(values_of(v)[0])
                    parts.append(text if bare else f"{alias or field}={_quote(text)}")
                line = " ".join(parts)
                if line and line not in rendered:
                    rendered.append(line)
                if len(rendered) >= self.count:
                    break
            text = rendered[0] if len(rendered) == 1 else " OR ".join(f"({r})" for r in rendered)
            yield {"search": text}
        return run


def _subsearch_of(cls, args) -> ast.Subsearch:
    sub = next((i for i in args.items if isinstance(i, ast.Subsearch)), None)
    if sub is None:
        raise cls.error(f"Missing the subsearch in [ ]. Usage: {cls.syntax}", args.span)
    return sub


@dataclass(frozen=True)
class SubsearchCommand(Command):
    """What append, appendcols and join share: options and a [ subsearch ], validated at compile
    time and run when the search runs."""

    subsearch: object = None
    opts: tuple = ()

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        return cls(args.span, _subsearch_of(cls, args), tuple(sorted(opts.items())))

    def fields_read(self):
        return None

    def prepare(self, env):
        env.services.validate_subsearch(self.subsearch.pipeline, env)
        return self.runner(env, dict(self.opts))

    def runner(self, env, opts: dict):
        raise NotImplementedError


@dataclass(frozen=True)
class AppendCommand(SubsearchCommand):
    """Add the results of a subsearch after the current results."""

    name: ClassVar[str] = "append"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = "append [maxout=<N>] [maxtime=<seconds>] [<subsearch>]"
    example: ClassVar[str] = "append [search eventName=ConsoleLogin | stats count by userName]"
    options: ClassVar[dict] = {"maxout": to_int, "maxtime": to_int, "extendtimerange": to_bool}
    ignored_options: ClassVar[frozenset] = frozenset({"maxtime", "extendtimerange"})

    def runner(self, env, opts):
        def run(events, ctx):
            yield from events
            yield from run_subsearch(self.subsearch, env, opts.get("maxout"))
        return run


@dataclass(frozen=True)
class AppendcolsCommand(SubsearchCommand):
    """Paste the subsearch's result i onto result i (the current value wins unless override=t)."""

    name: ClassVar[str] = "appendcols"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = "appendcols [override=<bool>] [<subsearch>]"
    example: ClassVar[str] = "appendcols [search errorCode=* | stats count AS errors]"
    options: ClassVar[dict] = {"override": to_bool, "maxout": to_int, "maxtime": to_int}
    ignored_options: ClassVar[frozenset] = frozenset({"maxout", "maxtime"})

    def runner(self, env, opts):
        override = opts.get("override", False)

        def run(events, ctx):
            sub = run_subsearch(self.subsearch, env)
            n = 0
            for n, ev in enumerate(events, 1):
                if n <= len(sub):
                    ev = copy_event(ev)
                    for k, v in sub[n - 1].items():
                        if k.startswith("_") or v is None:
                            continue
                        if override or _missing(ev, k):
                            ev[k] = v
                yield ev
            yield from sub[n:]
        return run


def _missing(ev, name) -> bool:
    from ..runtime.values import get_field
    return get_field(ev, name) is None


@dataclass(frozen=True)
class JoinCommand(SubsearchCommand):
    """Combine each result with the first matching result of a subsearch on the join fields."""

    name: ClassVar[str] = "join"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = ("join [type=inner|left|outer] [max=<N>] [overwrite=<bool>] [<field>, ...] "
                             "[left=<L> right=<R> WHERE <L>.<field>=<R>.<field>] [<subsearch>]")
    example: ClassVar[str] = "join type=left userName [| inputlookup users.csv]"
    options: ClassVar[dict] = {"type": to_text, "max": to_int, "overwrite": to_bool, "usetime": to_bool,
                               "earlier": to_bool, "left": to_text, "right": to_text, "where": to_text}
    option_values: ClassVar[dict] = {"type": ("inner", "left", "outer")}
    ignored_options: ClassVar[frozenset] = frozenset({"usetime", "earlier"})

    fields: tuple[str, ...] = ()
    pairs: tuple = ()  # left=L right=R where L.a=R.b: (a, b) for each condition

    @classmethod
    def from_args(cls, args):
        terms = next((i for i in args.items if isinstance(i, ast.And) and isinstance(i.terms[-1], ast.Subsearch)), None)
        if terms is not None:  # WHERE ... [subsearch]: the last term is the subsearch
            rest = terms.terms[:-1]
            where = rest[0] if len(rest) == 1 else ast.And(rest, terms.span)
            items = tuple(i for i in args.items if i is not terms) + (where, terms.terms[-1])
            args = dataclasses.replace(args, items=items)
        base = super().from_args(args)
        opts = dict(base.opts)
        kind = opts.get("type", "inner").lower()
        if kind not in ("inner", "left", "outer"):
            raise cls.error(f"Invalid join type '{kind}': use inner, left or outer.", args.span)
        where = next((i for i in args.items if isinstance(i, (ast.FieldMatch, ast.And))), None)
        pairs = ()
        if where is not None or "left" in opts or "right" in opts:
            pairs = cls._pairs(where, opts.get("left"), opts.get("right"), args.span)
        return cls(base.span, base.subsearch, base.opts, tuple(w.text for w in args.items if isinstance(w, ast.Word)),
                   pairs)

    @classmethod
    def _pairs(cls, where, left, right, span) -> tuple:
        """(left field, right field) from WHERE L.a=R.b [AND ...], with left= and right= aliases."""
        if not (left and right and where is not None):
            raise cls.error("join with aliases needs left=<alias> right=<alias> WHERE <alias>.<field>=<alias>.<field>.",
                            span)
        out = []
        for t in (where.terms if isinstance(where, ast.And) else (where,)):
            sides = {}
            for text in (t.field, t.value) if isinstance(t, ast.FieldMatch) and t.op in ("=", "==") else ():
                alias, _, name = text.partition(".")
                sides[alias] = name
            if set(sides) != {left, right} or not all(sides.values()):
                raise cls.error(f"Each join condition compares {left}.<field> with {right}.<field>.",
                                getattr(t, "span", span))
            out.append((sides[left], sides[right]))
        return tuple(out)

    def runner(self, env, opts):
        keep_unmatched = opts.get("type", "inner").lower() in ("left", "outer")
        most, overwrite = opts.get("max", 1), opts.get("overwrite", True)
        if self.pairs:
            return self._aliased(env, opts["left"], opts["right"], keep_unmatched, most)

        def key_of(row, keys):
            return tuple(to_string(values_of(row.get(k))[0]) if row.get(k) is not None else None for k in keys)

        def run(events, ctx):
            sub = run_subsearch(self.subsearch, env, limits.current().join_maxout)
            sub_fields: dict[str, None] = {}
            for r in sub:
                sub_fields.update(dict.fromkeys(k for k, v in r.items() if v is not None))
            for ev in events:
                fields = event_fields(ev)
                # Without join fields, every field the two sides have in common is one.
                keys = self.fields or tuple(k for k in sub_fields if k in fields and not k.startswith("_"))
                key = key_of(fields, keys)
                matches = [] if (None in key or not keys) else [r for r in sub if key_of(r, keys) == key]
                if most:
                    matches = matches[:most]
                if not matches:
                    if keep_unmatched:
                        yield ev
                    continue
                for m in matches:
                    out = copy_event(ev)
                    for k, v in m.items():
                        if v is None or k.startswith("_") and k != "_time":
                            continue
                        if overwrite or fields.get(k) is None:
                            out[k] = v
                    yield out
        return run

    def _aliased(self, env, left: str, right: str, keep_unmatched: bool, most: int):
        """left=L right=R WHERE L.a=R.b: each side's fields named <alias>.<field>, as Splunk shows them."""
        lefts, rights = [a for a, _ in self.pairs], [b for _, b in self.pairs]

        def named(alias, fields):
            return {f"{alias}.{k}": v for k, v in fields.items() if v is not None and not k.startswith("_")}

        def run(events, ctx):
            sub = run_subsearch(self.subsearch, env, limits.current().join_maxout)
            index: dict[tuple, list] = {}
            for r in sub:
                key = tuple(to_string(values_of(r.get(k))[0]) if r.get(k) is not None else None for k in rights)
                if None not in key:
                    index.setdefault(key, []).append(r)
            for ev in events:
                fields = event_fields(ev)
                key = tuple(to_string(values_of(fields.get(k))[0]) if fields.get(k) is not None else None
                            for k in lefts)
                matches = index.get(key, []) if None not in key else []
                if most:
                    matches = matches[:most]
                base = {"_time": get_field(ev, "_time")} if get_field(ev, "_time") is not None else {}
                if not matches and keep_unmatched:
                    yield {**base, **named(left, fields)}
                for m in matches:
                    yield {**base, **named(left, fields), **named(right, event_fields(m))}
        return run
