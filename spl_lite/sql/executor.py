"""The SQL executor: a compiled plan translated to one SQL query and run on DuckDB (one machine,
more data than memory) or Spark (a cluster), or only rendered for an engine users run themselves
(Trino for Athena and CloudTrail Lake, Databricks). Each engine is a backend (duckdb_backend,
spark_backend) that holds the events and registers spl_lite's functions (udfs)."""
from __future__ import annotations

import time

from ..errors import SplError
from ..result import Result
from . import udfs
from .dialects import NotInDialect, render
from .expressions import Unsupported
from .translate import EVENTS, Translator

RUNNABLE = ("duckdb", "spark")


def backend(dialect: str, options=None):
    if dialect == "duckdb":
        from .duckdb_backend import DuckDB
        return DuckDB(options)
    from .spark_backend import Spark
    return Spark(options)


class SqlExecutor:
    """Runs compiled searches on a SQL engine; what it cannot translate it refuses at compile time."""

    prunes_load = False  # its tables hold every loaded event

    def __init__(self, engine, dialect: str = "duckdb", options=None):
        if dialect not in RUNNABLE:
            raise SplError(f"Searches run on {', '.join(RUNNABLE)}; {dialect} SQL can only be printed "
                           "(spl-lite sql --dialect ...).")
        self.engine, self.name = engine, dialect
        # Spark also runs the SQL printed for Databricks (no spl_lite functions in it): how the
        # tests check that SQL on a real engine.
        self.sql_dialect = (options or {}).get("render_as") or dialect
        if (dialect, self.sql_dialect) not in ((dialect, dialect), ("spark", "databricks")):
            raise SplError(f"{dialect} cannot run {self.sql_dialect} SQL.")
        self.backend = backend(dialect, options)
        self._db = None
        self._loaded = None
        self.dataset: tuple[object, dict] | None = None  # (path, description) of a dataset made by spl-lite ingest

    def attach(self, path, info: dict) -> None:
        """Search a Parquet dataset made by spl-lite ingest (read where it lies, never loaded)."""
        if self.dataset is not None or len(self.engine.store):
            raise SplError("An engine searches one ingested dataset, and no events loaded besides it.")
        self.dataset = (path, info)
        self._db = None

    # -------------------------------------------------------------- compile time
    def translate(self, query):
        """The query as one SQL statement: translated once and kept with the query, for its check,
        explain and every run, while what it depends on stays (the engine's now, which resolves
        relative times, and the dataset searched)."""
        now = self.engine.now if self.engine.now is not None else int(time.time())
        key = (self.sql_dialect, now, self.dataset[0] if self.dataset else None)
        kept = query.compiled.get("sql")
        if kept is not None and kept[0] == key:
            return kept[1]
        translation = self._translate(query, now)
        query.compiled["sql"] = (key, translation)
        return translation

    def _translate(self, query, now: float):
        try:
            info = self.dataset[1] if self.dataset else {}
            translation = Translator(self.sql_dialect, now, query.time_range(), self.engine.knowledge,
                                     self.engine.lookups_dir, info.get("fields", ()), info.get("json", ())) \
                .translate(query.commands)
            translation.text = render(translation.sql, self.sql_dialect)
        except NotInDialect as e:
            raise Unsupported(f"The operation {e} is not supported on {self.sql_dialect} yet.", command="search",
                              hint="run it with --engine memory").with_query(query.expanded) from None
        except SplError as e:
            raise e.with_query(query.expanded) from None
        except RecursionError:
            # sqlglot builds and prints SQL recursively: a search nested deep enough (a long run
            # of NOTs) goes past Python's stack before it goes past the memory engine's limits.
            raise Unsupported(f"This search is nested too deeply for {self.sql_dialect} SQL.", command="search",
                              hint="run it with --engine memory").with_query(query.expanded) from None
        return translation

    def check(self, query) -> None:
        translation = self.translate(query)
        for pattern, command in translation.regexes:
            problem = self.backend.regex_error(pattern)
            if problem is not None:
                raise Unsupported(f"This regular expression is not supported on {self.name} "
                                  f"({self.backend.regex_flavour}): {problem}",
                                  command=command.name, span=command.span,
                                  hint="run it with --engine memory").with_query(query.expanded) from None

    def explain(self, query) -> list[str]:
        """The one SQL query the search becomes, as it runs here."""
        text = render(self.translate(query).sql, self.sql_dialect, pretty=True)
        return [f"Runs as one {self.name} SQL query:", *("  " + line for line in text.splitlines())]

    def validate_subsearch(self, pipeline, env) -> None:
        raise Unsupported(f"A subsearch is not supported on {self.sql_dialect} yet.", command="search",
                          hint="run it with --engine memory")

    def run_subsearch(self, pipeline, env, maxout, maxtime):
        self.validate_subsearch(pipeline, env)

    # -------------------------------------------------------------- run time
    def run(self, query, timing: bool = False) -> Result:
        translation = self.translate(query)
        started = time.perf_counter()
        db = self._connection()
        for name, table in translation.tables:
            self.backend.lookup_table(db, name, table)
        try:
            fetched = self.backend.execute(db, translation.text)
        except self.backend.errors as e:
            # An error inside one of spl_lite's own functions (a runaway regex, say) or the engine's.
            text = str(e).strip()
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            message = lines[0] if lines else type(e).__name__
            if message.startswith("An error occurred while calling") and len(lines) > 1:
                message = lines[1].lstrip(": ")  # py4j's own first line names no cause: the Java one does
            raise SplError(f"The search failed on {self.name}: {message}").with_query(query.expanded) from None
        always = translation.always
        rows = [{name: udfs.output(value, kind) for (name, kind), value in zip(translation.columns, row)
                 if value is not None or name in always} for row in fetched]
        result = Result.from_events(rows, tabular=translation.table, warnings=list(query.warnings))
        if timing:
            result.timings = [(f"{self.name} query", time.perf_counter() - started)]
        return result

    def _connection(self):
        """The engine's events as the backend holds them, made again when events were added."""
        if self.dataset is not None:
            if self._db is None:
                self._db = self.backend.connect_dataset(self.dataset[0], EVENTS)
            return self._db
        store = self.engine.store
        if self._db is None or self._loaded != (id(store), len(store)):
            self._db, self._loaded = self.backend.connect(store, EVENTS), (id(store), len(store))
        return self._db
