"""A compiled search's plan as one SQL query: a CTE per command, built with sqlglot, rendered in
a dialect. The relation between commands always carries ``_ord``, the Splunk order of its rows
(events newest first, stats groups by their keys), so every step keeps Splunk's row order.

What is not translated raises Unsupported (an SplError naming the dialect and the command, with
its span) before any work starts: an executor says what it cannot do, it never approximates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sqlglot import exp

from ..commands.eval import EvalCommand
from ..commands.fields import FieldsCommand
from ..commands.head import HeadCommand
from ..commands.makeresults import MakeresultsCommand
from ..commands.rename import RenameCommand
from ..commands.search import SearchCommand
from ..commands.sort import SortCommand
from ..commands.stats import StatsCommand
from ..commands.table import TableCommand
from ..commands.unsupported import UnsupportedCommand
from ..commands.where import WhereCommand
from ..errors import SplError
from ..functions import stats_functions
from ..syntax import ast
from .expressions import ExpressionTranslator, SearchTranslator, unsupported
from .knowledge import KnowledgeFields
from .more_commands import COMMANDS as MORE_COMMANDS
from .dialects import FUNCTIONS, NotInDialect, portable, render, runs_python, writes_path
from .values import NULL, Value, as_text, col, fn, is_true, json_field, sort_key, sql_limit

EVENTS = "events"  # the table an executor provides: _ord, _time, _raw, index, sourcetype, source, host
METADATA = ("_time", "index", "sourcetype", "source", "host")


@dataclass
class Relation:
    """The rows after a command: its CTE, the fields held as columns, whether rows are events."""
    name: str
    columns: dict[str, str] = field(default_factory=dict)  # field -> type
    events: bool = True  # events still carry _raw and their metadata
    hidden: set = field(default_factory=set)  # fields removed (rename, fields -) from events
    table: bool = False  # rows of a table (table, stats), not events
    # Columns every row has even when null (table's and stats' own); any other column a row has
    # only where it holds a value, as a field is absent from an event that has none.
    always: set = field(default_factory=set)


@dataclass
class Translation:
    sql: exp.Expr
    columns: list[tuple[str, str]]  # output fields and their types, in order
    table: bool  # a table (table, stats); else events (makeresults, eval)
    always: set  # columns every row has, even when null
    regexes: list = field(default_factory=list)  # (RE2 pattern, command) the engine must accept
    tables: list = field(default_factory=list)  # (table name, LookupTable) the engine must hold
    text: str = ""  # the SQL in the executor's dialect


class Translator:
    def __init__(self, dialect: str, now: float, time_range=(None, None), knowledge=None, lookups_dir=None,
                 stored=(), subtrees=()):
        """``stored``: fields the events table holds as columns, each exactly the value a search
        sees (a dataset made by spl-lite ingest), read instead of parsing _raw; ``subtrees``:
        columns holding a top-level object as JSON, read for the fields below it."""
        self.dialect, self.now, self.time_range = dialect, now, time_range
        self.stored = tuple(f for f in stored if f not in METADATA)
        self.subtrees = tuple(subtrees)
        self.lookups_dir = lookups_dir
        self.knowledge = KnowledgeFields(knowledge or {}, dialect, self.raw)
        self.command = "search"
        self.regexes: list[tuple[str, object]] = []  # (RE2 pattern, command), for the executor to check
        self.ctes: list[tuple[str, exp.Expr]] = []

    def translate(self, commands) -> Translation:
        rel = None
        for i, c in enumerate(commands):
            if isinstance(c, UnsupportedCommand):
                raise c.error_now()  # not a gap of this engine: spl_lite has no such command yet
            self.command = c.name
            method: Callable | None = getattr(self, "_" + type(c).__name__, None)
            more = MORE_COMMANDS.get(type(c))
            if method is not None:
                rel = method(c, rel, f"s{i}")
            elif more is not None:
                rel = more(self, c, rel, f"s{i}")
            else:
                raise unsupported(f"The '{c.name}' command", self.dialect, command=c.name, span=c.span)
        if rel is None or rel.events:
            last = commands[-1] if commands else None
            raise unsupported("Results as events (end the search with table or stats)", self.dialect,
                              command=getattr(last, "name", "search"), span=getattr(last, "span", None))
        outputs = list(rel.columns.items())
        final = exp.select(*[col(n) for n, _ in outputs]).from_(rel.name).order_by(col("_ord"))
        for name, body in self.ctes:
            final = final.with_(name, as_=body)
        return Translation(final, outputs, rel.table, rel.always, self.regexes, list(self.knowledge.tables.values()))

    # -------------------------------------------------------------- fields
    def ref(self, rel: Relation, passthrough: bool = False):
        """Field name -> Value. A value held as JSON ("json": what spl_lite's Python eval and stats
        functions gave) can only be passed along
        (``passthrough``: table, rename): anything that computes on it stops."""
        def column(name: str) -> Value | None:
            if name in rel.columns:
                return Value(col(name), rel.columns[name])
            return NULL if name in rel.hidden else None

        def resolve(name: str, node=None, any_type: bool = False) -> Value:
            set_by_search = column(name)
            if set_by_search is not None and set_by_search.type == "json" and not (passthrough or any_type):
                raise unsupported(f"Using '{name}', a value that spl_lite's Python functions computed (an eval "
                                  "or stats function the engine lacks), in a later command", self.dialect,
                                  command=self.command, span=getattr(node, "span", None))
            if set_by_search is not None:
                return set_by_search
            if not rel.events:
                return NULL
            if self.knowledge.defines(name):
                return self.knowledge.value(name, column, self.command, node)
            return self.raw(name, node)
        return resolve

    def raw(self, name: str, node=None) -> Value:
        """A field of the event itself: its metadata or its JSON, as Splunk extracts it."""
        if name in METADATA or name == "_raw":
            return Value(col(name), "num" if name == "_time" else "str")
        if name.startswith("_") or "{" in name or name.startswith("date_") or "*" in name \
                or not writes_path(self.dialect, name):
            raise unsupported(f"The field '{name}'", self.dialect, command=self.command,
                              span=getattr(node, "span", None))
        if name in self.stored:
            return Value(col(name), "str")
        top, dot, rest = name.partition(".")
        if dot and top in self.subtrees:
            return Value(json_field(col(top), rest), "str")
        return Value(json_field(col("_raw"), name), "str")

    def _base(self, rel: Relation) -> list[str]:
        """The columns a relation carries besides its fields: _ord, and an event's own."""
        return ["_ord"] + (["_time", "_raw", "index", "sourcetype", "source", "host", *self.stored,
                            *self.subtrees] if rel.events else [])

    def carried(self, rel: Relation, skip=()) -> list[exp.Expr]:
        """Every column the relation carries, to pass along unchanged."""
        base = self._base(rel)
        names = [n for n in base if n not in skip and n not in rel.columns] + \
            [n for n in rel.columns if n not in skip]
        return [col(n) for n in names]

    def set_fields(self, name: str, rel: Relation, values: dict, always: bool = False) -> Relation:
        """Fields set to new values (a dict field -> Value): one that exists keeps its place among
        the columns, a new one comes last, as writing a field of an event does. ``always``: every
        row gets the field, null or not (eval writes it whatever the value)."""
        columns = dict(rel.columns)
        for target, v in values.items():
            columns[target] = "str" if v.type == "null" else v.type
        base = self._base(rel)
        body = exp.select(*[col(n) for n in base if n not in columns],
                          *[exp.alias_(values[k].sql, k, quoted=True) if k in values else col(k) for k in columns]) \
            .from_(rel.name)
        return self.add_step(name, body, rel, columns=columns, hidden=rel.hidden - set(values),
                         always=rel.always | set(values) if always else rel.always)

    def add_step(self, name: str, body: exp.Expr, rel: Relation, **changes) -> Relation:
        self.ctes.append((name, body))
        columns = dict(changes.get("columns", rel.columns))
        always = set(changes.get("always", rel.always)) & set(columns)
        return Relation(name, columns, changes.get("events", rel.events),
                        set(changes.get("hidden", rel.hidden)), changes.get("table", rel.table), always)

    # -------------------------------------------------------------- commands
    def _SearchCommand(self, c: SearchCommand, rel, name):
        if c.leading:
            rel = Relation(EVENTS)
        elif rel is None:  # "| search ..." first: there is nothing to search
            rel = self.add_step(name + "_none", exp.select(*self.carried(Relation(EVENTS))).from_(EVENTS).where(exp.false()),
                            Relation(EVENTS))
        terms = SearchTranslator(self.ref(rel), self.dialect, "search").test(c.terms)
        body = exp.select(*self.carried(rel)).from_(rel.name).where(terms)
        if c.leading:
            earliest, latest = self.time_range
            if earliest is not None:
                body = body.where(exp.GTE(this=col("_time"), expression=exp.Literal.number(earliest)))
            if latest is not None:
                body = body.where(exp.LT(this=col("_time"), expression=exp.Literal.number(latest)))
        return self.add_step(name, body, rel)

    def _MakeresultsCommand(self, c: MakeresultsCommand, rel, name):
        if c.annotate:
            raise unsupported("makeresults annotate=true", self.dialect, command=c.name, span=c.span)
        body = exp.select(exp.alias_(exp.column("i"), "_ord", quoted=True),
                          exp.alias_(exp.Literal.number(int(self.now)), "_time", quoted=True)) \
            .from_(portable("range", exp.Literal.number(c.count)))
        return self.add_step(name, body, Relation(name), columns={"_time": "num"}, events=False, always={"_time"})

    def _WhereCommand(self, c: WhereCommand, rel, name):
        v = ExpressionTranslator(self.ref(rel), self.dialect, c.name).value(c.expr)
        if v.type != "bool":
            raise unsupported("where with a condition that is not a comparison", self.dialect, command=c.name,
                              span=c.span)
        return self.add_step(name, exp.select(*self.carried(rel)).from_(rel.name).where(is_true(v)), rel)

    def _EvalCommand(self, c: EvalCommand, rel, name):
        for i, a in enumerate(c.assignments):
            if a.target in METADATA or a.target.startswith("_"):
                raise unsupported(f"Assigning to '{a.target}'", self.dialect, command=c.name, span=a.span)
            v = ExpressionTranslator(self.ref(rel), self.dialect, c.name).value(a.expr)
            if v.type == "bool":
                raise unsupported("A Boolean result", self.dialect, command=c.name, span=a.span)
            rel = self.set_fields(f"{name}_{i}", rel, {a.target: v}, always=True)
        return rel

    def _TableCommand(self, c: TableCommand, rel, name):
        if any("*" in f for f in c.fields):
            raise unsupported("table with a wildcard", self.dialect, command=c.name, span=c.span)
        ref = self.ref(rel, passthrough=True)
        values = {f: ref(f, c) for f in dict.fromkeys(c.fields)}
        body = exp.select(col("_ord"), *[exp.alias_(v.sql, f, quoted=True) for f, v in values.items()]) \
            .from_(rel.name)
        return self.add_step(name, body, rel, columns={f: ("str" if v.type == "null" else v.type)
                                                   for f, v in values.items()}, events=False, hidden=set(),
                         table=True, always=set(values))

    def _RenameCommand(self, c: RenameCommand, rel, name):
        ref = self.ref(rel, passthrough=True)
        for old, new in c.pairs:
            if "*" in old or "*" in new:
                raise unsupported("rename with a wildcard", self.dialect, command=c.name, span=c.span)
            v = ref(old, c)
            columns = {k: t for k, t in rel.columns.items() if k not in (old, new)}
            columns[new] = "str" if v.type == "null" else v.type
            body = exp.select(*self.carried(rel, skip=(old, new)), exp.alias_(v.sql, new, quoted=True)).from_(rel.name)
            always = (rel.always - {old, new}) | ({new} if old in rel.always else set())
            rel = self.add_step(f"{name}_{len(self.ctes)}", body, rel, columns=columns,
                            hidden=(rel.hidden | {old}) - {new}, always=always)
        return rel

    def _FieldsCommand(self, c: FieldsCommand, rel, name):
        if any("*" in f for f in c.fields):
            raise unsupported("fields with a wildcard", self.dialect, command=c.name, span=c.span)
        if not c.remove:
            if rel.events:
                raise unsupported("fields keeping a list of an event's fields", self.dialect, command=c.name,
                                  span=c.span)
            keep = [f for f in rel.columns if f in c.fields or f == "_time" and "_time" not in c.fields]
            body = exp.select(col("_ord"), *[col(f) for f in keep]).from_(rel.name)
            return self.add_step(name, body, rel, columns={f: rel.columns[f] for f in keep})
        columns = {k: t for k, t in rel.columns.items() if k not in c.fields}
        body = exp.select(*self.carried(rel, skip=tuple(c.fields))).from_(rel.name)
        return self.add_step(name, body, rel, columns=columns, hidden=rel.hidden | set(c.fields))

    def _HeadCommand(self, c: HeadCommand, rel, name):
        if c.expr is not None or c.keeplast or c.null:
            raise unsupported("head with a condition", self.dialect, command=c.name, span=c.span)
        body = exp.select(*self.carried(rel)).from_(rel.name).order_by(col("_ord")).limit(sql_limit(c.limit))
        return self.add_step(name, body, rel)

    def _SortCommand(self, c: SortCommand, rel, name):
        if c.reverse_all:
            raise unsupported("sort ... d", self.dialect, command=c.name, span=c.span)
        ref = self.ref(rel)
        order = []
        for field_name, desc, mode in c.keys:
            v = ref(field_name, c)
            missing = exp.Is(this=v.sql.copy(), expression=exp.Null())
            order.append(exp.Ordered(this=missing))  # missing values last, whatever the direction
            order.append(exp.Ordered(this=sort_key(v, mode), desc=desc))
        order.append(exp.Ordered(this=col("_ord")))  # a stable sort
        return self._renumber(name, rel, order, limit=c.limit or None)

    def _renumber(self, name, rel, order, limit=None) -> Relation:
        limit = sql_limit(limit) if limit else limit
        rank = exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=order))
        body = exp.select(exp.alias_(rank, "_ord", quoted=True), *self.carried(rel, skip=("_ord",))).from_(rel.name)
        rel = self.add_step(name, body, rel)
        if limit:
            rel = self.add_step(name + "_n", exp.select(*self.carried(rel)).from_(rel.name)
                            .where(exp.LTE(this=col("_ord"), expression=exp.Literal.number(limit))), rel)
        return rel

    def _StatsCommand(self, c: StatsCommand, rel, name):
        if c.allnum or c.dedup_splitvals:
            raise unsupported("stats options", self.dialect, command=c.name, span=c.span)
        ref = self.ref(rel)
        keys = {b: ref(b, c) for b in c.by}
        if any(v.type == "mv" for v in keys.values()):
            raise unsupported("stats by a multivalue field", self.dialect, command=c.name, span=c.span)
        outputs, columns = [], {}
        for b, v in keys.items():
            outputs.append(exp.alias_(v.sql, b, quoted=True))
            columns[b] = "str" if v.type == "null" else v.type
        for agg in c.aggregates:
            sql, kind = self._aggregate(agg, ref, c)
            outputs.append(exp.alias_(sql, agg.alias or agg.text, quoted=True))
            columns[agg.alias or agg.text] = kind
        # Groups whose keys sort alike ("1" and "1.0") keep the order they were first seen in.
        outputs.append(exp.alias_(exp.Min(this=col("_ord")), "_seen", quoted=True))
        body = exp.select(*outputs).from_(rel.name)
        if keys:
            # Events missing a BY field are left out, as Splunk does.
            body = body.where(exp.and_(*[exp.Not(this=exp.Is(this=v.sql.copy(), expression=exp.Null()))
                                         for v in keys.values()]))
            body = body.group_by(*[v.sql.copy() for v in keys.values()])
        grouped = self.add_step(name + "_g", body, rel, columns=columns, events=False, hidden=set(), table=True,
                            always=set(columns))
        order = [exp.Ordered(this=sort_key(Value(col(b), columns[b]))) for b in keys]
        rank = exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=order + [exp.Ordered(this=col("_seen"))]))
        body = exp.select(exp.alias_(rank, "_ord", quoted=True), *[col(n) for n in columns]).from_(grouped.name)
        return self.add_step(name, body, grouped)

    def _aggregate(self, agg: ast.StatsAgg, ref, c) -> tuple[exp.Expr, str]:
        func = agg.func.lower()
        if isinstance(agg.arg, ast.ExprArg):
            raise unsupported("eval() inside stats", self.dialect, command=c.name, span=agg.span)
        if isinstance(agg.arg, ast.SparklineArg):
            raise unsupported("The stats function sparkline()", self.dialect, command=c.name, span=agg.span)
        v = ref(getattr(agg.arg, "text", agg.arg), agg) if agg.arg is not None else None
        if v is not None and v.type == "mv":
            raise unsupported(f"{func}() of a multivalue field", self.dialect, command=c.name, span=agg.span)
        if func in ("count", "c"):
            return (exp.Count(this=exp.Star()) if v is None else exp.Count(this=v.sql)), "num"
        if func in ("dc", "distinct_count") and v is not None:
            return exp.Count(this=exp.Distinct(expressions=[as_text(v)])), "num"
        if func in ("min", "max") and v is not None and v.type == "num":
            return (exp.Min if func == "min" else exp.Max)(this=v.sql), "num"
        if func == "values" and v is not None:
            # Distinct values sorted as text (by bytes): 10 before 9.
            return portable("values_list", as_text(v)), "mv"
        if v is not None and v.type in ("str", "num") and stats_functions.lookup(func) is not None \
                and runs_python(self.dialect):
            # Any other stats function: the group's values in event order, handed to the very
            # function the memory engine uses (spl_stats), so the answer is the same by construction.
            def in_order(e):
                return portable("list_in_order", e, col("_ord"))
            values, times = in_order(v.sql), in_order(exp.cast(ref("_time", agg).sql, "DOUBLE"))
            return fn(f"spl_stats_{v.type}", exp.Literal.string(func), values, times), "json"
        raise unsupported(f"The stats function {agg.func}()", self.dialect, command=c.name, span=agg.span)





def to_sql(query, dialect: str = "duckdb") -> str:
    """The SQL a compiled search translates to, in a dialect, for users to read or run: over a
    dataset made by spl-lite ingest (a table "events" with its field columns)."""
    from ..store.dataset import FIELD_COLUMNS, JSON_COLUMNS
    if dialect not in FUNCTIONS:
        raise unsupported(f"Printing {dialect} SQL", dialect, command="search", span=None)
    now = query.engine.now if query.engine.now is not None else 0
    try:
        translation = Translator(dialect, now, query.time_range(), query.engine.knowledge,
                                 query.engine.lookups_dir, FIELD_COLUMNS, JSON_COLUMNS).translate(query.commands)
        return render(translation.sql, dialect, pretty=True)
    except NotInDialect as e:
        raise unsupported(f"The operation {e}", dialect, command="search", span=None).with_query(query.expanded) \
            from None
    except SplError as e:
        raise e.with_query(query.expanded) from None
