"""The SQL executor: a compiled plan translated to one SQL query and run on DuckDB (one machine,
more data than memory), or only rendered for an engine users run themselves (Spark, Trino for
Athena and CloudTrail Lake, Databricks). Splunk's sort order is the spl_sort_key_* functions,
registered with the engine that runs the query."""
from __future__ import annotations

import ipaddress
import math
import struct
import time

import orjson

from ..errors import SplError
from ..functions import EVAL_FUNCTIONS, stats_functions
from ..result import Result
from ..runtime.values import Rounded, output_value, raw_text, sort_key_auto, to_number
from ..runtime.values.event import ORIGIN
from .expressions import Unsupported
from .translate import EVENTS, Translator

RUNNABLE = ("duckdb",)


def require(module: str, extra: str):
    try:
        return __import__(module)
    except ImportError:
        raise SplError(f"The {extra} engine needs its extra: pip install 'spl-lite[{extra}]'.") from None


class SqlExecutor:
    """Runs compiled searches on a SQL engine; what it cannot translate it refuses at compile time."""

    def __init__(self, engine, dialect: str = "duckdb"):
        if dialect not in RUNNABLE:
            raise SplError(f"Searches run on {', '.join(RUNNABLE)}; {dialect} SQL can only be printed "
                           "(spl-lite sql --dialect ...).")
        self.engine, self.name = engine, dialect
        self._db = None
        self._loaded = None

    # -------------------------------------------------------------- compile time
    def translate(self, query):
        now = self.engine.now if self.engine.now is not None else int(time.time())
        try:
            return Translator(self.name, now, query.time_range(), self.engine.knowledge, self.engine.lookups_dir) \
                .translate(query.commands)
        except SplError as e:
            raise e.with_query(query.expanded) from None

    def check(self, query) -> None:
        translation = self.translate(query)
        if translation.regexes:
            db = require("duckdb", "duckdb").connect()
            for pattern, command in translation.regexes:
                try:
                    db.execute("SELECT regexp_matches('', ?)", [pattern])
                except Exception as e:  # noqa: BLE001 - DuckDB's errors have no common base here
                    raise Unsupported(f"This regular expression is not supported on {self.name} (RE2 has no "
                                      f"look-around or back-reference): {str(e).splitlines()[0]}",
                                      command=command.name, span=command.span,
                                      hint="run it with --engine memory").with_query(query.expanded) from None

    def validate_subsearch(self, pipeline, env) -> None:
        raise Unsupported(f"A subsearch is not supported on {self.name} yet.", command="search",
                          hint="run it with --engine memory")

    def run_subsearch(self, pipeline, env, maxout, maxtime):
        self.validate_subsearch(pipeline, env)

    # -------------------------------------------------------------- run time
    def run(self, query, timing: bool = False) -> Result:
        translation = self.translate(query)
        sql = translation.sql.sql(dialect=self.name)
        started = time.perf_counter()
        db = self._connection()
        for name, table in translation.tables:
            _lookup_table(db, name, table)
        try:
            cursor = db.execute(sql)
        except duckdb_errors() as e:
            # An error inside one of spl_lite's own functions (a runaway regex, say) or DuckDB's.
            message = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise SplError(f"The search failed on {self.name}: {message}").with_query(query.expanded) from None
        always = translation.always
        rows = [{name: _output(value, kind) for (name, kind), value in zip(translation.columns, row)
                 if value is not None or name in always} for row in cursor.fetchall()]
        result = Result.from_events(rows, tabular=translation.table, warnings=list(query.warnings))
        if timing:
            result.timings = [(f"{self.name} query", time.perf_counter() - started)]
        return result

    def _connection(self):
        """A DuckDB database holding the engine's events, rebuilt when events were added."""
        store = self.engine.store
        if self._db is not None and self._loaded == (id(store), len(store)):
            return self._db
        duckdb = require("duckdb", "duckdb")
        db = duckdb.connect()
        db.execute("SET TimeZone = 'UTC'")  # times are UTC, as everywhere in spl_lite
        for mode in ("auto", "num", "str", "ip"):
            db.create_function(f"spl_sort_key_{mode}", _SORT_KEYS[mode], ["VARCHAR"], "VARCHAR")
        # These return null for null: DuckDB must hand them nulls rather than filter them out.
        db.create_function("spl_eval", _eval, ["VARCHAR", "VARCHAR[]"], "VARCHAR", null_handling="special")
        db.create_function("spl_eval_bool", _eval, ["VARCHAR", "VARCHAR[]"], "BOOLEAN", null_handling="special")
        for kind, values in (("str", "VARCHAR[]"), ("num", "DOUBLE[]")):
            db.create_function(f"spl_stats_{kind}", _stats, ["VARCHAR", values, "DOUBLE[]"], "VARCHAR",
                               null_handling="special")
        db.execute(f"CREATE TABLE {EVENTS} (_ord BIGINT, _time DOUBLE, _raw VARCHAR, \"index\" VARCHAR, "
                   "sourcetype VARCHAR, source VARCHAR, host VARCHAR)")
        rows = []
        for i, ev in enumerate(store.events()):
            origin = ev.get(ORIGIN) or {}
            t = to_number(ev.get("_time"))
            rows.append((i, t, raw_text(ev), origin.get("index"), origin.get("sourcetype"), origin.get("source"),
                         origin.get("host")))
        if rows:
            db.executemany(f"INSERT INTO {EVENTS} VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        self._db, self._loaded = db, (id(store), len(store))
        return db


def duckdb_errors():
    return require("duckdb", "duckdb").Error


def _lookup_table(db, name: str, table) -> None:
    """A lookup file as a table: its columns as text, and _row, the order of its rows."""
    columns = ", ".join(f'"{c.replace(chr(34), chr(34) * 2)}" VARCHAR' for c in table.columns)
    db.execute(f'CREATE OR REPLACE TABLE "{name}" (_row BIGINT{", " + columns if columns else ""})')
    if table.rows:
        marks = ", ".join("?" for _ in range(len(table.columns) + 1))
        db.executemany(f'INSERT INTO "{name}" VALUES ({marks})',
                       [(i, *[r.get(c) for c in table.columns]) for i, r in enumerate(table.rows)])


def _output(value, kind: str):
    if kind == "json":
        value = _from_json(value)
        if isinstance(value, Rounded):
            return value  # Result keeps its decimals for display
    if kind == "num" and isinstance(value, float) and math.isnan(value):
        return value
    return output_value(value)


def _eval(name: str, args: list):
    """An eval function as the memory engine calls it, on arguments given as JSON."""
    spec = EVAL_FUNCTIONS[name]
    values = [_from_json(a) for a in args]
    if spec.propagate_nulls and any(v is None for v in values):
        result = None
    else:
        result = spec.impl(*values)
    if spec.returns_bool:
        return result if isinstance(result, bool) else None
    return None if result is None else _to_json(result)


def _to_json(value) -> str:
    if isinstance(value, Rounded):  # round(x, 4) keeps its decimals for display
        return orjson.dumps({ROUNDED: [float(value), value.decimals]}).decode()
    return orjson.dumps(output_value(value)).decode()


def _from_json(text):
    value = orjson.loads(text) if text is not None else None
    if isinstance(value, dict) and ROUNDED in value:
        return Rounded(*value[ROUNDED])
    return value


ROUNDED = "$rounded"


def _stats(name: str, values: list, times: list) -> str:
    """A stats function over a group's values in event order: the memory engine's own class."""
    state = stats_functions.lookup(name)()
    for value, t in zip(values, times):
        if value is not None:
            state.add(value, t)
    result = state.result()
    return orjson.dumps(output_value(list(result) if isinstance(result, list) else result),
                        option=orjson.OPT_SERIALIZE_NUMPY).decode()


# ------------------------------------------------------------------ Splunk's sort order as text
def _number_key(n: float) -> str:
    """A double as 16 hex digits that sort as the numbers do."""
    bits = struct.unpack(">Q", struct.pack(">d", float(n)))[0]
    bits = bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | (1 << 63)
    return f"{bits:016x}"


def _auto_key(text):
    kind, key, s = sort_key_auto(text)
    if kind == 0:
        return "0" + _number_key(key)
    if kind == 1:
        return f"1{key[0]}{key[1]:032x}"
    return "2" + s if kind == 2 else "3"


def _num_key(text):
    n = to_number(text)
    return "0" + _number_key(n) if n is not None and not (isinstance(n, float) and math.isnan(n)) else "2" + text


def _ip_key(text):
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return "2" + text
    return f"1{ip.version}{int(ip):032x}"


_SORT_KEYS = {"auto": _auto_key, "num": _num_key, "str": lambda text: "2" + text, "ip": _ip_key}
