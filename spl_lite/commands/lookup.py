"""lookup, inputlookup, outputlookup: CSV lookup tables in the lookups directory."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import SplError
from ..lookups import LookupTable, lookup_path, write_table
from ..compiler.search_terms import compile_search
from ..runtime.values import field_getter, first_value, set_field, to_string
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, writable


def _table_name(cls, args) -> ast.Word:
    words = [i for i in args.items if isinstance(i, ast.Word)]
    if not words:
        raise cls.error(f"Missing the lookup table name. Usage: {cls.syntax}", args.span)
    return words[0]


@dataclass(frozen=True)
class LookupCommand(Command):
    """Add fields from a CSV lookup table to the results whose fields match its rows."""

    name: ClassVar[str] = "lookup"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = ("lookup <table> <column> [AS <field>]... [OUTPUT|OUTPUTNEW <column> [AS <field>]...]")
    example: ClassVar[str] = "lookup users.csv userName AS user OUTPUT team"
    options: ClassVar[dict] = {"local": to_bool, "update": to_bool}
    ignored_options: ClassVar[frozenset] = frozenset({"local", "update"})

    table: str = ""
    table_span: object = None
    inputs: tuple = ()
    outputs: tuple = ()  # empty: every column that is not an input
    new_only: bool = False

    @classmethod
    def from_args(cls, args):
        cls.read_options(args.items)
        table = _table_name(cls, args)
        inputs = tuple(i for i in args.items if isinstance(i, ast.LookupField))
        out = next((i for i in args.items if isinstance(i, ast.LookupOutput)), None)
        return cls(args.span, table.text, table.span, inputs, out.fields if out else (), bool(out and out.new_only))

    def fields_read(self):
        return frozenset(i.field for i in self.inputs) | frozenset(o.field for o in self.outputs)

    def fields_written(self):
        return frozenset(o.field for o in self.outputs)

    def _read(self, path) -> LookupTable:
        table = LookupTable.read(path, self.name, self.table_span)
        missing = [i.column for i in self.inputs if i.column not in table.columns]
        if missing:
            raise SplError(f"The lookup table '{self.table}' has no column '{missing[0]}' (columns: "
                           f"{', '.join(table.columns)}).", command=self.name, span=self.span)
        return table

    def prepare(self, env):
        directory = env.services.lookups_dir
        path = lookup_path(directory, self.table, command=self.name, span=self.table_span, must_exist=False)
        # A file there already is checked now (a wrong column is the search's error). A missing
        # one is the data's problem, not the search's: it is reported when the search runs.
        ready = self._read(path) if path.is_file() else None
        getters = [field_getter(i.field) for i in self.inputs]

        def run(events, ctx):
            table = ready if ready is not None else self._read(
                lookup_path(directory, self.table, command=self.name, span=self.table_span))
            columns = [i.column for i in self.inputs]
            outputs = list(self.outputs) or [ast.LookupField(c, c) for c in table.columns if c not in columns]
            match = table.matcher(columns)
            out_getters = [field_getter(o.field) for o in outputs]
            for ev in events:
                values = tuple(to_string(first_value(g(ev))) for g in getters)
                if any(v is None for v in values):
                    yield ev
                    continue
                rows = match(values)
                if not rows:
                    yield ev  # no match adds nothing and clears nothing
                    continue
                if self.new_only and all(g(ev) is not None for g in out_getters):
                    yield ev
                    continue
                ev = writable(ev)
                for o in outputs:
                    vals = [v for r in rows for v in ([r[o.column]] if isinstance(r.get(o.column), str)
                                                      else r.get(o.column) or [])]
                    if self.new_only and ev.get(o.field) is not None:
                        continue
                    set_field(ev, o.field, vals or None)
                yield ev
        return run


@dataclass(frozen=True)
class InputlookupCommand(Command):
    """Results from the rows of a CSV lookup table, in file order (WHERE filters them)."""

    name: ClassVar[str] = "inputlookup"
    kind: ClassVar[Kind] = Kind.GENERATING
    syntax: ClassVar[str] = "| inputlookup [append=<bool>] [start=<N>] [max=<N>] <table> [WHERE <search terms>]"
    example: ClassVar[str] = '| inputlookup users.csv WHERE team="blue"'
    options: ClassVar[dict] = {"append": to_bool, "start": to_int, "max": to_int}

    table: str = ""
    table_span: object = None
    where: object = None
    append: bool = False
    start: int = 0
    max: int = 0

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        table = _table_name(cls, args)
        where = next((i for i in args.items if not isinstance(i, (ast.Word, ast.Option))), None)
        return cls(args.span, table.text, table.span, where, opts.get("append", False), opts.get("start", 0),
                   opts.get("max", 0))

    @property
    def appends(self) -> bool:
        return self.append

    def prepare(self, env):
        directory = env.services.lookups_dir
        lookup_path(directory, self.table, command=self.name, span=self.table_span, must_exist=False)
        test, _ = compile_search(self.where, env, command=self.name)

        def rows():
            # The file is looked for when the search runs: a missing one is reported then.
            path = lookup_path(directory, self.table, command=self.name, span=self.table_span)
            table = LookupTable.read(path, self.name, self.table_span)
            selected = table.rows[self.start:]
            out = (dict(r) for r in selected)
            n = 0
            for r in out:
                if test(r):
                    yield r
                    n += 1
                    if self.max and n >= self.max:
                        return

        def run(events, ctx):
            if self.append:
                yield from events
            yield from rows()
        return run


@dataclass(frozen=True)
class OutputlookupCommand(Command):
    """Write the results to a CSV lookup table (atomically) and pass them on unchanged."""

    name: ClassVar[str] = "outputlookup"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = ("outputlookup [append=<bool>] [create_empty=<bool>] [override_if_empty=<bool>] "
                             "[max=<N>] <table>")
    example: ClassVar[str] = "outputlookup seen_users.csv"
    options: ClassVar[dict] = {"append": to_bool, "create_empty": to_bool, "override_if_empty": to_bool,
                               "max": to_int, "key_field": str, "createinapp": to_bool}
    ignored_options: ClassVar[frozenset] = frozenset({"key_field", "createinapp"})

    table: str = ""
    table_span: object = None
    append: bool = False
    create_empty: bool = True
    override_if_empty: bool = True
    max: int = 0

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        table = _table_name(cls, args)
        return cls(args.span, table.text, table.span, opts.get("append", False), opts.get("create_empty", True),
                   opts.get("override_if_empty", True), opts.get("max", 0))

    def prepare(self, env):
        path = lookup_path(env.services.lookups_dir, self.table, command=self.name, span=self.table_span,
                           must_exist=False)

        def run(events, ctx):
            from ..runtime.values import event_fields
            rows = [event_fields(ev) for ev in events]
            written = rows[:self.max] if self.max else rows
            if written or (self.override_if_empty and (self.create_empty or path.exists())):
                write_table(path, written, self.append, self.name, self.table_span)
            return iter(rows)
        return run
