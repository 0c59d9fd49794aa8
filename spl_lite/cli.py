"""The spl-lite command: query, run saved .spl files, or open the REPL. Only calls the public API."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import Engine, SplError
from .render import FORMATS, render

MAX_LOAD_ERRORS_SHOWN = 10


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spl-lite", description="Splunk's search language over local JSON logs.")
    sub = p.add_subparsers(dest="command")

    def common(sp):
        sp.add_argument("--data", action="append", metavar="PATH",
                        help="a JSON/NDJSON/CloudTrail file, directory or glob (repeatable); "
                             "default: the bundled sample")
        sp.add_argument("--no-addons", action="store_true", help="no AWS add-on search-time fields")
        sp.add_argument("--now", type=float, help="fix the current time (epoch) for relative times")
        sp.add_argument("--sourcetype", help="sourcetype for the loaded events (default: detected)")

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
    return p


def read_spl_file(path: Path) -> str:
    """A saved search: '#' lines at the top are a description, not part of the search."""
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and (lines[0].lstrip().startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip()


def make_engine(args) -> tuple[Engine, str]:
    """The engine with the data loaded, and a sentence saying what was loaded."""
    engine = Engine(addons=not args.no_addons, now=args.now)
    started = time.perf_counter()
    reports = [engine.load(d, sourcetype=args.sourcetype) for d in args.data] if args.data \
        else [engine.load_sample()]
    errors = [e for r in reports for e in r.errors]
    for line in errors[:MAX_LOAD_ERRORS_SHOWN]:
        print(f"warning: {line} (skipped)", file=sys.stderr)
    if len(errors) > MAX_LOAD_ERRORS_SHOWN:
        print(f"warning: ... and {len(errors) - MAX_LOAD_ERRORS_SHOWN} more malformed records skipped",
              file=sys.stderr)
    events = sum(r.events for r in reports)
    files = sum(r.files for r in reports)
    what = "the bundled sample" if not args.data else f"{files} file{'s' if files != 1 else ''}"
    message = f"Loaded {events:,} events from {what} in {time.perf_counter() - started:.2f}s."
    return engine, message


def run_search(engine: Engine, text: str, fmt: str) -> int:
    try:
        result = engine.search(text)
    except SplError as e:
        print(e, file=sys.stderr)
        return 1
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    out = render(result, fmt)
    if out:
        print(out)
    return 0


def plain_repl(engine: Engine, loaded: str) -> int:
    """Without a terminal (input piped in): a search per line; a line ending in '|' continues."""
    print(f"{loaded} End a line with '|' to continue; .quit leaves.")
    buffer = ""
    while True:
        try:
            line = input("...> " if buffer else "spl> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not buffer and line.strip() in (".quit", ".exit"):
            return 0
        buffer = f"{buffer}\n{line}" if buffer else line
        if buffer.rstrip().endswith("|"):
            continue
        if buffer.strip():
            run_search(engine, buffer, "table")
        buffer = ""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["repl", *(argv or [])])
    try:
        engine, loaded = make_engine(args)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:
        print(f"spl-lite: {e}", file=sys.stderr)
        return 2
    if sys.stderr.isatty() and args.command != "repl":
        print(loaded, file=sys.stderr)
    if args.command == "query":
        return run_search(engine, args.spl, args.format)
    if args.command == "run":
        status = 0
        for i, name in enumerate(args.files):
            path = Path(name)
            if not path.is_file():
                print(f"spl-lite: no such file: {name}", file=sys.stderr)
                return 2
            if len(args.files) > 1 and args.format == "table":
                print(("\n" if i else "") + f"== {name}")
            status = max(status, run_search(engine, read_spl_file(path), args.format))
        return status
    if sys.stdin.isatty() and sys.stdout.isatty():
        from .repl.app import run_repl
        return run_repl(engine, loaded)
    return plain_repl(engine, loaded)


if __name__ == "__main__":
    sys.exit(main())
