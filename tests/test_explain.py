"""Query.explain() and `spl-lite explain`: the plan, what is pushed into the scan, and the path
each command takes on the chosen engine (issue 19)."""
from __future__ import annotations

import subprocess
import sys

import pytest

import spl_lite

SEARCH = ("eventName=ConsoleLogin earliest=1700000000 | eval n=len(userName) | where n>3 "
          "| stats count by userName | sort -count | head 3")

MEMORY_PLAN = """\
Search: eventName=ConsoleLogin earliest=1700000000 | eval n=len(userName) | where n>3 | stats count by userName | sort -count | head 3
Pushed into the scan:
  terms: eventName=ConsoleLogin earliest=1700000000
  time range: 2023-11-14T22:13:20Z (1.7e+09) to any
  fields the rest reads: _time, userName
  text every event holds: consolelogin
  fields parsed at load (spl-lite query): _time, earliest, eventName, userName
Runs in memory, a column at a time where a command can:
  1. eventName=ConsoleLogin earliest=1700000000  [generating; scan: the terms tested a column at a time]
  2. eval n=len(userName)  [streaming; columns]
  3. where n>3  [streaming; columns]
  4. stats count by userName  [transforming; columns, into a table]
  5. sort -count  [dataset; events]
  6. head 3  [streaming; events]"""


def test_the_memory_plan_names_the_pushdown_and_each_commands_path():
    assert spl_lite.Engine(addons=False, now=1).compile(SEARCH).explain() == MEMORY_PLAN


def test_event_by_event_is_shown_as_such():
    plan = spl_lite.Engine(addons=False, now=1, engine_options={"columnar": False}).compile(
        "| makeresults | eval a=1 | stats count by a").explain()
    assert plan == ("Search: | makeresults | eval a=1 | stats count by a\n"
                    "Runs in memory, event by event:\n"
                    "  1. makeresults  [generating; events]\n"
                    "  2. eval a=1  [streaming; events]\n"
                    "  3. stats count by a  [transforming; events]")


def test_a_search_after_a_table_runs_on_events():
    plan = spl_lite.Engine(addons=False, now=1).compile("* | stats count by a | where count>1 | eval b=1")
    assert plan.explain().splitlines()[-3:] == ["  2. stats count by a  [transforming; columns, into a table]",
                                                 "  3. where count>1  [streaming; events]",
                                                 "  4. eval b=1  [streaming; events]"]


def test_the_duckdb_plan_is_its_one_sql_query():
    pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    plan = spl_lite.Engine(addons=False, now=1, engine="duckdb").compile("eventName=A | stats count").explain()
    lines = plan.splitlines()
    assert lines[:3] == ["Search: eventName=A | stats count", "Pushed into the scan:", "  terms: eventName=A"]
    start = lines.index("Runs as one duckdb SQL query:")
    assert lines[start + 1] == "  WITH s0 AS (" and lines[-1] == "    \"_ord\""


def test_the_cli_prints_the_plan_and_reports_errors_with_a_caret():
    run = [sys.executable, "-m", "spl_lite", "explain", "--no-addons", "--now", "1"]
    proc = subprocess.run([*run, SEARCH], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, MEMORY_PLAN + "\n", "")
    proc = subprocess.run([*run, "* | statz count"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines()[1:] == ["  * | statz count", "      ^^^^^", "  help: did you mean 'stats'?"]
