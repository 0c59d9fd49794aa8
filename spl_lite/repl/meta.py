"""REPL meta-commands: .load .fields .format .output .timing .macros .help .quit."""
from __future__ import annotations

import difflib
import fnmatch
import time
from pathlib import Path

from ..render import FORMATS

HELP = {
    ".load PATH": "load more events: a file, a directory or a glob",
    ".fields [pattern]": "each field: share of events that have it, distinct values, top values",
    ".format table|json|csv|ndjson": "how results are printed",
    ".output FILE|off": "also write each result to a file",
    ".timing on|off": "after each search, the time each command took",
    ".macros": "the defined macros (.macros all: with the CIM add-on's)",
    ".help [command|function]": "syntax, summary and an example",
    ".quit": "leave (also Ctrl-D)",
}


class Quit(Exception):
    pass


def run_meta(repl, line: str) -> str:
    """Do a meta-command; returns what to print."""
    name, _, arg = line.strip().partition(" ")
    arg = arg.strip()
    handler = HANDLERS.get(name)
    if handler is None:
        close = difflib.get_close_matches(name, list(HANDLERS), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        return f"Unknown command {name}.{hint} Type .help for the list."
    return handler(repl, arg)


def _load(repl, arg):
    if not arg:
        return "Usage: .load PATH"
    started = time.perf_counter()
    try:
        report = repl.engine.load(Path(arg).expanduser())
    except (FileNotFoundError, PermissionError) as e:
        return f"Cannot load: {e}"
    repl.refresh_catalog()
    lines = [f"Loaded {report.events:,} events from {report.files} files in "
             f"{time.perf_counter() - started:.2f}s ({repl.catalog.events:,} in all)."]
    lines += [f"warning: {e} (skipped)" for e in report.errors[:10]]
    return "\n".join(lines)


def _fields(repl, arg):
    catalog = repl.catalog
    pattern = arg or None
    rows = []
    for name, count in catalog.fields.items():
        if pattern is not None and not fnmatch.fnmatchcase(name, pattern):
            continue
        top = catalog.values(name, 100000)
        distinct = len(top)
        shown = ", ".join(f"{v} ({c})" for v, c in top[:3])
        share = 100 * count / catalog.events if catalog.events else 0
        rows.append(f"{name:40} {share:5.1f}%  {distinct:>6} values  {shown[:80]}")
    if not rows:
        return "No field matches." if arg else "No events loaded."
    note = "\n(shares estimated from an even sample of the events)" if catalog.estimated else ""
    return f"{'field':40} {'events':>6}  {'distinct':>13}  top values\n" + "\n".join(rows) + note


def _format(repl, arg):
    if arg not in FORMATS:
        return f"Usage: .format {'|'.join(FORMATS)} (now {repl.format})"
    repl.format = arg
    return f"Results print as {arg}."


def _output(repl, arg):
    if not arg:
        return f"Usage: .output FILE|off (now {repl.output or 'off'})"
    repl.output = None if arg == "off" else arg
    return "Results go to the screen only." if repl.output is None else f"Results are also written to {arg}."


def _timing(repl, arg):
    if arg not in ("on", "off"):
        return f"Usage: .timing on|off (now {'on' if repl.timing else 'off'})"
    repl.timing = arg == "on"
    return f"Timing {arg}."


def _macros(repl, arg):
    catalog = repl.catalog
    bundled = catalog.bundled_macros
    shown = {k: v for k, v in catalog.macros.items() if arg.strip() == "all" or k not in bundled}
    lines = [f"`{name}` = {definition}" for name, definition in shown.items()] or ["No macros defined."]
    if bundled and arg.strip() != "all":
        lines.append(f"(and {len(bundled)} macros of the CIM add-on, such as `drop_dm_object_name(1)`: "
                     ".macros all lists them)")
    return "\n".join(lines)


def _help(repl, arg):
    catalog = repl.catalog
    if not arg:
        lines = ["Meta-commands:"] + [f"  {k:32} {v}" for k, v in HELP.items()]
        lines += ["", "Commands (.help NAME for more):"]
        lines += [f"  {n:12} {i.summary}" for n, i in sorted(catalog.commands.items()) if n == i.name]
        lines += ["", "Tab completes commands, options, fields and values; Ctrl-R searches history."]
        return "\n".join(lines)
    name = arg.strip().lower().lstrip("|").strip()
    if name in catalog.commands:
        info = catalog.commands[name]
        opts = f"\nOptions: {', '.join(info.options)}" if info.options else ""
        return f"{info.name}: {info.summary}\nSyntax:  {info.syntax}{opts}\nExample: {info.example}"
    for kind, registry in (("eval function", catalog.eval_functions), ("stats function", catalog.stats_functions)):
        if name in registry:
            f = registry[name]
            return f"{f.name} ({kind}): {f.summary}\nUsage: {f.usage}"
    names = list(catalog.commands) + list(catalog.eval_functions) + list(catalog.stats_functions)
    close = difflib.get_close_matches(name, names, n=1)
    return f"No command or function '{arg}'." + (f" Did you mean {close[0]}?" if close else "")


def _quit(repl, arg):
    raise Quit


HANDLERS = {".load": _load, ".fields": _fields, ".format": _format, ".output": _output, ".timing": _timing,
            ".macros": _macros, ".help": _help, ".quit": _quit, ".exit": _quit}
