"""The spl-lite command: query, run saved .spl files, or open the REPL. Only calls the public API."""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

from . import Engine, Query, SplError
from .errors import internal_error
from .knowledge.conf import read_utf8
from .render import FORMATS, render, render_many
from . import ingest_cli
from .sql import DIALECTS

MAX_LOAD_ERRORS_SHOWN = 10


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spl-lite", description="Splunk's search language over local JSON logs.")
    sub = p.add_subparsers(dest="command")

    def common(sp):
        sp.add_argument("--data", action="append", metavar="PATH",
                        help="a JSON/NDJSON/CloudTrail file, directory or glob (repeatable); "
                             "default: the bundled sample")
        sp.add_argument("--no-addons", action="store_true", help="no AWS add-on search-time fields")
        sp.add_argument("--now", type=_epoch, help="fix the current time (epoch) for relative times")
        sp.add_argument("--sourcetype", help="sourcetype for the loaded events (default: detected)")
        sp.add_argument("--props", action="append", default=[], metavar="FILE",
                        help="search-time knowledge in props.conf syntax (repeatable)")
        sp.add_argument("--macros", action="append", default=[], metavar="FILE",
                        help="macro definitions in macros.conf syntax (repeatable)")
        sp.add_argument("--datamodels", action="append", default=[], metavar="PATH",
                        help="data models in Splunk's JSON format, a file or directory (repeatable); "
                             "the CIM models are bundled")
        sp.add_argument("--lookups", metavar="DIR", help="where lookup CSV files live (default ./lookups)")
        sp.add_argument("--geoip", metavar="FILE", help="a MaxMind .mmdb database for iplocation")
        sp.add_argument("--dedup-events", action="store_true",
                        help="drop events whose eventID was already loaded (overlapping dumps)")
        sp.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                        help="change a limit, e.g. regex_seconds=5 (repeatable; see the README's Limits)")
        sp.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
        sp.add_argument("--engine", choices=("memory", "duckdb", "spark"), default="memory",
                        help="where searches run: memory (the reference), duckdb or spark (pip install "
                             "'spl-lite[duckdb]' or '[spark]')")
        sp.add_argument("--spark-master", metavar="URL",
                        help="the Spark cluster to run on (default local[*], a session in this process)")
        sp.add_argument("--spark-remote", metavar="sc://HOST:PORT", help="a Spark Connect server to run on")

    q = sub.add_parser("query", help="run one search")
    q.add_argument("spl", help="the search")
    q.add_argument("--format", choices=FORMATS, default="table")
    common(q)
    r = sub.add_parser("run", help="run saved searches (.spl files)")
    r.add_argument("files", nargs="+", metavar="FILE.spl")
    r.add_argument("--format", choices=FORMATS, default="table")
    common(r)
    repl = sub.add_parser("repl", help="interactive prompt")
    common(repl)
    s = sub.add_parser("sql", help="print the SQL a search translates to")
    s.add_argument("spl", help="the search")
    s.add_argument("--dialect", choices=DIALECTS, default="duckdb")
    common(s)
    x = sub.add_parser("explain", help="print the plan of a search: what goes into the scan, each command's path")
    x.add_argument("spl", help="the search")
    common(x)
    ingest_cli.add_parser(sub)
    return p


def _epoch(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is not an epoch time (seconds since 1970)")
    return value


class UsageError(Exception):
    """A problem with the command line or the files it names, not with a search (exit 2)."""


def read_spl_file(path: Path) -> str:
    """A saved search: '#' lines at the top are a description, not part of the search."""
    try:
        lines = read_utf8(path).splitlines()
    except SplError as e:
        raise UsageError(str(e)) from None
    while lines and (lines[0].lstrip().startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip()


def make_engine(args) -> Engine:
    changes = {}
    for item in args.limit:
        name, eq, value = item.partition("=")
        if not eq:
            raise UsageError(f"--limit takes NAME=VALUE, not '{item}'")
        changes[name.strip()] = value.strip()
    try:
        from .limits import DEFAULT
        chosen = DEFAULT.replace(changes)  # an unknown name or a bad value: Splunk's words, did-you-mean
        engine = Engine(addons=not args.no_addons, now=args.now, lookups_dir=args.lookups, knowledge=args.props,
                        macros=args.macros, geoip=args.geoip, dedup_events=args.dedup_events, limits=chosen,
                        engine=args.engine, engine_options={"spark_master": args.spark_master,
                                                            "spark_remote": args.spark_remote},
                        datamodels=args.datamodels)
    except SplError as e:
        raise UsageError(str(e)) from None
    for line in engine.knowledge_warnings:
        print(f"warning: {line}", file=sys.stderr)
    return engine


class Progress:
    """Files, events, MB and rate on the terminal while a load takes more than a second."""

    def __init__(self):
        self.started = time.perf_counter()
        self.shown = False

    def __call__(self, report) -> None:
        elapsed = time.perf_counter() - self.started
        if elapsed < 1.0 or not sys.stderr.isatty():
            return
        self.shown = True
        print(f"\r  loading: {report.files:,} files, {report.events:,} events, {report.bytes / 1e6:,.0f} MB, "
              f"{report.events / elapsed:,.0f} events/s", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def report_problems(reports) -> None:
    """What loading skipped, on stderr: the first problems with file and line, then a count."""
    errors = [e for r in reports for e in r.errors]
    for line in errors[:MAX_LOAD_ERRORS_SHOWN]:
        print(f"warning: {line} (skipped)", file=sys.stderr)
    if len(errors) > MAX_LOAD_ERRORS_SHOWN:
        print(f"warning: ... and {len(errors) - MAX_LOAD_ERRORS_SHOWN} more problems: "
              f"{sum(r.bad_files for r in reports)} files and {sum(r.bad_lines for r in reports)} "
              "records skipped in all", file=sys.stderr)


def load_data(engine: Engine, args, time_range=(None, None), only_for=None) -> str:
    """Load --data (or the sample) into the engine; a sentence saying what was loaded."""
    started = time.perf_counter()
    progress = Progress()
    earliest, latest = time_range
    reports = [engine.load(d, sourcetype=args.sourcetype, earliest=earliest, latest=latest, progress=progress,
                           only_for=only_for)
               for d in args.data] if args.data else [engine.load_sample()]
    progress.done()
    report_problems(reports)
    events = sum(r.events for r in reports)
    files = sum(r.files for r in reports)
    what = "the bundled sample" if not args.data else f"{files} file{'s' if files != 1 else ''}"
    extra = []
    pruned = sum(r.pruned_files for r in reports)
    duplicates = sum(r.duplicates for r in reports)
    if pruned:
        extra.append(f"{pruned} outside the time range not read")
    if duplicates:
        extra.append(f"{duplicates} duplicate events dropped")
    accounts = set().union(*(r.accounts for r in reports))
    if accounts:
        regions = set().union(*(r.regions for r in reports))
        extra.append(f"{len(accounts)} account{'s' if len(accounts) != 1 else ''}, "
                     f"{len(regions)} region{'s' if len(regions) != 1 else ''}")
    note = f" ({'; '.join(extra)})" if extra else ""
    return f"Loaded {events:,} events from {what}{note} in {time.perf_counter() - started:.2f}s."


def run_query(query) -> tuple[object, int]:
    """(Result or None, exit status) of one compiled search; errors and warnings to stderr."""
    if isinstance(query, SplError):
        print(query, file=sys.stderr)
        return None, 1
    try:
        result = query.run()
    except SplError as e:
        print(e, file=sys.stderr)
        return None, 1
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return result, 0


def plain_repl(engine: Engine, loaded: str) -> int:
    """Without a terminal (input piped in): a search or meta-command per line; a line ending in
    '|' continues."""
    from .repl.meta import Quit
    from .repl.session import Session
    session = Session(engine, pager=False)
    print(f"{loaded} End a line with '|' to continue; .help lists the meta-commands, .quit leaves.")
    buffer = ""
    while True:
        try:
            line = input("...> " if buffer else "spl> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        buffer = f"{buffer}\n{line}" if buffer else line
        if buffer.rstrip().endswith("|"):
            continue
        try:
            session.handle(buffer)
        except Quit:
            return 0
        buffer = ""


def main(argv: list[str] | None = None) -> int:
    """The command line; an error that is spl_lite's own ends in one line, not a traceback."""
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        from .interrupt import leave_quietly
        return leave_quietly(130)
    except BrokenPipeError:
        # The reader went away (spl-lite ... | head): stop quietly, as other tools do.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except UsageError as e:
        print(f"spl-lite: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - the last line of defence
        if "Query interrupted" in str(e):  # DuckDB's own word for Ctrl-C inside a statement
            from .interrupt import leave_quietly
            return leave_quietly(130)
        if debug:
            raise
        print(f"spl-lite: {internal_error(e)}", file=sys.stderr)
        return 70


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["repl", *(argv or [])])
    if args.command == "sql":
        return _print_sql(args)
    if args.command == "explain":
        return _print_plan(args)
    if args.command == "ingest":
        return ingest_cli.run(args, Progress(), report_problems)
    try:
        engine = make_engine(args)
        texts = []
        if args.command == "query":
            texts = [args.spl]
        elif args.command == "run":
            for name in args.files:
                if not Path(name).is_file():
                    print(f"spl-lite: no such file: {name}", file=sys.stderr)
                    return 2
                texts.append(read_spl_file(Path(name)))
        # Compile before loading: a search's earliest/latest lets a dump's files outside it go unread.
        queries: list[Query | SplError] = []  # an error is printed in its search's place
        for text in texts:
            try:
                queries.append(engine.compile(text))
            except SplError as e:
                queries.append(e)
        if texts and all(isinstance(q, SplError) for q in queries):
            return _print_results(args, queries)  # nothing to run: the errors now, not after a load
        # A search run once reads only the lines that hold its terms (no store for other searches).
        once = queries[0] if args.command in ("query", "run") and len(queries) == 1 and \
            not isinstance(queries[0], SplError) else None
        loaded = load_data(engine, args, _time_range(queries), once)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:
        print(f"spl-lite: {e}", file=sys.stderr)
        return 2
    except SplError as e:  # data the engine cannot take (an ingested dataset on memory)
        print(f"spl-lite: {e}", file=sys.stderr)
        return 2
    if sys.stderr.isatty() and args.command != "repl":
        print(loaded, file=sys.stderr)
    if args.command in ("query", "run"):
        return _print_results(args, queries)
    if sys.stdin.isatty() and sys.stdout.isatty():
        from .repl.app import run_repl
        return run_repl(engine, loaded)
    return plain_repl(engine, loaded)


def _print_sql(args) -> int:
    """spl-lite sql: the search compiled as usual, then translated; nothing is loaded or run."""
    args.engine = "memory"
    engine = make_engine(args)
    from .sql import to_sql
    try:
        print(to_sql(engine.compile(args.spl), args.dialect))
    except SplError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


def _print_plan(args) -> int:
    """spl-lite explain: the search compiled for the chosen engine; nothing is loaded or run."""
    engine = make_engine(args)
    try:
        print(engine.compile(args.spl).explain())
    except SplError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


def _print_results(args, queries) -> int:
    """Each search's result; several searches in JSON, NDJSON or CSV still make one document,
    each row naming its search."""
    status = 0
    names = args.files if args.command == "run" else [None]
    several = len(queries) > 1
    if several and args.format != "table":
        results = []
        for name, query in zip(names, queries):
            result, code = run_query(query)
            status = max(status, code)
            results.append((name, result))
        out = render_many(results, args.format)
        if out:
            print(out)
        return status
    for i, (name, query) in enumerate(zip(names, queries)):
        if several:
            print(("\n" if i else "") + f"== {name}")
        result, code = run_query(query)
        status = max(status, code)
        out = render(result, args.format) if result is not None else ""
        if out:
            print(out)
    return status


def _time_range(queries) -> tuple[float | None, float | None]:
    """The time range that covers every search (None on a side when any search is open there)."""
    ranges = [q.time_range() for q in queries if not isinstance(q, SplError)]
    if not ranges or any(r[0] is None for r in ranges):
        earliest = None
    else:
        earliest = min(r[0] for r in ranges)
    latest = None if not ranges or any(r[1] is None for r in ranges) else max(r[1] for r in ranges)
    return earliest, latest


if __name__ == "__main__":
    sys.exit(main())
