"""The REPL application, driven through prompt-toolkit's pipe input: keys in, text out."""
from __future__ import annotations

import json

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

import spl_lite
from spl_lite.repl.app import Repl
from spl_lite.repl.completer import needs_more
from spl_lite.repl.highlight import classify

ENTER, TAB, CTRL_C, CTRL_D = "\r", "\t", "\x03", "\x04"


@pytest.fixture
def engine():
    e = spl_lite.Engine()
    e.add_events([{"_time": 2, "eventName": "ConsoleLogin", "userIdentity": {"userName": "bob"}},
                  {"_time": 1, "eventName": "GetObject", "userIdentity": {"userName": "amy"}}])
    return e


def session(engine, keys: str, **kw) -> list[str]:
    """Type the keys into a fresh REPL; what it printed."""
    out: list[str] = []
    with create_pipe_input() as inp:
        repl = Repl(engine, input=inp, output=DummyOutput(), history=False, write=out.append, pager=False, **kw)
        inp.send_text(keys + CTRL_D)
        assert repl.run() == 0
    return out


def test_typing_and_enter_runs_a_search(engine):
    out = session(engine, "index=main | stats count by eventName" + ENTER)
    assert out[0].startswith("eventName     count\n------------  -------\nConsoleLogin  1\nGetObject     1")
    assert out[0].endswith("2 results in " + out[0].rsplit("results in ", 1)[1])


def test_tab_completes_a_command_then_a_field(engine):
    keys = "index=main | sta" + TAB + ENTER + " count by userIdentity.userN" + TAB + ENTER + ENTER
    out = session(engine, keys)
    assert out[0].startswith("userIdentity.userName    count")


def test_a_line_ending_in_a_pipe_continues(engine):
    out = session(engine, "index=main |" + ENTER + "stats count" + ENTER)
    assert out[0].startswith("count\n-------\n2")


def test_open_quotes_and_brackets_continue(engine):
    out = session(engine, 'index=main | eval x=if(1=1,' + ENTER + '"a", "b") | table x' + ENTER)
    assert out[0].startswith("x\n---\na\na")


def test_ctrl_c_clears_the_line_and_the_repl_goes_on(engine):
    out = session(engine, "index=main | nonsense" + CTRL_C + "index=main | stats count" + ENTER)
    assert out[0].startswith("count")


def test_ctrl_c_during_a_search_cancels_it(engine, monkeypatch):
    calls = []
    real_compile = engine.compile

    def slow_compile(text):
        query = real_compile(text)
        if "slow" in text:
            class Interrupted:
                def run(self, timing=False):
                    calls.append(text)
                    raise KeyboardInterrupt
            return Interrupted()
        return query
    monkeypatch.setattr(engine, "compile", slow_compile)
    out = session(engine, "index=main slow" + ENTER + "index=main | stats count" + ENTER)
    assert calls and out[0] == "Search cancelled."
    assert out[1].startswith("count")


def test_errors_print_with_their_caret(engine):
    out = session(engine, "index=main | stast count" + ENTER)
    assert out[0].splitlines()[0] == "Error in 'SearchParser': Unknown search command 'stast'."
    assert out[0].splitlines()[-1] == "  help: did you mean 'stats'?"


def test_meta_commands(engine, tmp_path):
    data = tmp_path / "more.ndjson"
    data.write_text('{"eventName": "PutObject", "eventTime": "2024-01-01T00:00:00Z"}\n')
    target = tmp_path / "out.txt"
    engine.define_macro("ct", "index=main")
    keys = "".join(k + ENTER for k in [
        ".format json", "index=main | stats count", ".load " + str(data), ".macros", ".timing on",
        "`ct` | stats count", ".output " + str(target), "index=main | head 1 | table eventName", ".fields event*",
        ".help stats", ".help substr", ".help", ".nope", ".quit"])
    out = session(engine, keys)
    assert out[0] == "Results print as json."
    assert json.loads(out[1].split("\n1 result")[0]) == [{"count": 2}]
    assert out[2].startswith("Loaded 1 events from 1 files in ") and out[2].endswith("(3 in all).")
    assert out[3] == ("`ct` = index=main\n(and 16 macros of the CIM add-on, such as `drop_dm_object_name(1)`: "
                      ".macros all lists them)")
    assert out[4] == "Timing on."
    assert "ms  `ct`" not in out[5] and "ms  stats count" in out[5]
    assert out[6] == f"Results are also written to {target}."
    assert json.loads(target.read_text()) == [{"eventName": "PutObject"}]
    assert out[8].splitlines()[1].startswith("eventName")
    assert "100.0%" in out[8] and "3 values" in out[8]
    assert out[9].startswith("stats: Aggregate events") and "Syntax:  stats <function>" in out[9]
    assert out[10].startswith("substr (eval function):")
    assert out[11].startswith("Meta-commands:")
    assert out[12] == "Unknown command .nope. Type .help for the list."
    assert len(out) == 13


def test_history_is_kept_across_sessions(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    out: list[str] = []
    with create_pipe_input() as inp:
        Repl(engine, input=inp, output=DummyOutput(), write=out.append, pager=False)
        inp.send_text("index=main | stats count" + ENTER + CTRL_D)
        Repl(engine, input=inp, output=DummyOutput(), write=out.append, pager=False).run()
    with create_pipe_input() as inp:
        repl = Repl(engine, input=inp, output=DummyOutput(), write=out.append, pager=False)
        inp.send_text("\x1b[A" + ENTER + CTRL_D)  # up arrow recalls the last search
        repl.run()
    assert (tmp_path / "spl_lite" / "history").exists()
    assert out[0].split("1 result in")[0] == out[1].split("1 result in")[0] == "count\n-------\n2\n"


def test_toolbar_shows_syntax_or_the_parse_error(engine):
    with create_pipe_input() as inp:
        repl = Repl(engine, input=inp, output=DummyOutput(), history=False, write=print, pager=False)
        text = "index=main | rex field=a "
        assert repl.toolbar_for(text, len(text)) == ' rex [field=<field>] [max_match=<N>] [mode=sed] "<regex>"'
        assert repl.toolbar_for(text, 3).startswith(" search <field>=<value>")
        text = "index=main | stats cont(x)"
        assert repl.toolbar_for(text, len(text)) == [("class:toolbar.error", " Error in 'stats' command: The argument 'cont(x)' "
                                   "is invalid: 'cont' is not a stats function.")]


@pytest.mark.parametrize("text,more", [
    ("index=main |", True), ("index=main | stats count", False), ('eval x="a', True), ("eval x=f(a", True),
    ("search [search x", True), ("`macro", True), ("a ```comment", True), ("a ```c``` | b", False),
    ('eval x="(" | b', False), (".help", False), ("", False), ("x |   ", True),
])
def test_needs_more(text, more):
    assert needs_more(text) is more


def test_highlighting_classes():
    text = 'index=main eventName=Get* `m` | stats dc(user) as n by a ```c``` | eval y=if(x>2, "s", 1)'
    spans = {text[s:e]: cls for s, e, cls in classify(text)}
    assert spans["index"] == "field" and spans["="] == "operator" and spans["`m`"] == "macro"
    assert spans["stats"] == "command" and spans["dc"] == "function" and spans["user"] == "field"
    assert spans["as"] == "keyword" and spans["by"] == "keyword" and spans["```c```"] == "comment"
    assert spans["if"] == "function" and spans['"s"'] == "string" and spans["2"] == "number"
    assert spans["|"] == "pipe"


def test_highlighting_marks_where_the_syntax_breaks():
    assert classify("index=main | stats count by )")[-1][2] == "error"
