"""The example hunts and every search in the README run, and the hunts find the scenario."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

import spl_lite
from conftest import ROOT
from spl_lite.cli import main, read_spl_file

HUNTS = sorted((ROOT / "examples" / "hunts").glob("*.spl"))
README = (ROOT / "README.md").read_text()


@pytest.fixture(scope="module")
def engine():
    e = spl_lite.Engine()
    e.load_sample()
    return e


def hunt(engine, name):
    return engine.search(read_spl_file(ROOT / "examples" / "hunts" / f"{name}.spl"))


def test_every_hunt_opens_with_a_comment_and_runs(engine):
    assert len(HUNTS) == 5
    for path in HUNTS:
        assert path.read_text().startswith("# "), path
        assert engine.search(read_spl_file(path)).rows, path


def test_console_logins_without_mfa(engine):
    rows = hunt(engine, "console_logins_without_mfa").rows
    assert [(r["userIdentity.userName"], r["count"]) for r in rows] == [("bstoll", 4)]
    assert rows[0]["src_ips"] == "198.51.100.77"
    assert re.fullmatch(r"\d\d/\d\d/2024 \d\d:\d\d:\d\d", rows[0]["firstTime"])


def test_access_denied_details(engine):
    result = hunt(engine, "access_denied_details")
    assert result.fields == ["_time", "awsRegion", "eventName", "userIdentity.userName", "sourceIPAddress",
                             "userAgent", "errorMessage"]
    web_admin = [r for r in result.rows if r["userIdentity.userName"] == "web_admin"]
    assert len(web_admin) == 7
    assert all("nullweb_admin" in r["errorMessage"] for r in web_admin)
    times = [r["_time"] for r in result.rows]
    assert times == sorted(times, reverse=True)


def test_key_pair_activity(engine):
    rows = hunt(engine, "key_pair_activity").rows
    assert [(r["userIdentity.userName"], r["eventName"], r["requestParameters.keyName"], r["awsRegion"])
            for r in rows] == [("frothly_admin", "CreateKeyPair", "BOTS", "us-west-1")]


def test_errors_by_count(engine):
    rows = hunt(engine, "errors_by_count").rows
    counts = [r["count"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert rows[0]["errorCode"] == "AccessDenied"
    total = engine.search("sourcetype=aws:cloudtrail errorCode!=success | stats count").rows[0]["count"]
    assert sum(counts) == total
    assert 0.02 < total / len(engine.store) < 0.06  # a few percent of calls fail


def test_actions_and_services(engine):
    rows = hunt(engine, "actions_and_services").rows
    assert len(rows) == 15
    assert (rows[0]["service"], rows[0]["action"]) == ("ec2", "Describe")
    assert all(r["action"] in ("Describe", "Get", "List", "Decrypt", "Assume", "Generate", "Create", "Lookup",
                               "Put", "Run", "Stop", "Attach", "Authorize", "Console") for r in rows)


def test_reads_dominate_the_sample(engine):
    reads = engine.search("sourcetype=aws:cloudtrail eventName IN (Describe*, Get*, List*) | stats count").rows
    assert reads[0]["count"] / len(engine.store) > 0.6


def test_embed_example_runs():
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "embed.py")], capture_output=True, text=True,
                         check=True).stdout
    assert "web_admin: 7 denied calls" in out
    assert "help: did you mean 'stats'?" in out


def readme_searches() -> list[str]:
    return re.findall(r"```spl\n(.*?)\n```", README, re.DOTALL)


def readme_commands() -> list[list[str]]:
    """Every example spl-lite query line (not the usage synopsis); a placeholder data path in
    the home directory becomes the bundled sample."""
    import shlex
    out = []
    for line in README.splitlines():
        if not line.strip().startswith("spl-lite query") or '"SPL"' in line:
            continue
        argv = shlex.split(line.strip())[1:]
        if "--data" in argv and argv[argv.index("--data") + 1].startswith("~"):
            i = argv.index("--data")
            del argv[i:i + 2]
        out.append(argv)
    return out


def test_readme_searches_run(engine):
    searches = readme_searches()
    assert len(searches) == 4
    for text in searches:
        assert engine.search(text).rows, text


def test_readme_command_lines_run(capsys):
    commands = readme_commands()
    assert len(commands) == 4
    for argv in commands:
        assert main(argv) == 0, argv
    assert "BOTS" in capsys.readouterr().out


def test_readme_error_example(capsys):
    assert main(["query", "index=main | stast count"]) == 1
    err = capsys.readouterr().err
    block = README.split("$ spl-lite query \"index=main | stast count\"\n")[1].split("\n\n")[0]
    assert err.strip() == "\n".join(line[4:] for line in block.splitlines()).strip()


def test_readme_library_block_runs(tmp_path, monkeypatch):
    block = re.search(r"```python\n(.*?)\n```", README, re.DOTALL).group(1)
    (tmp_path / "logs.ndjson").write_text('{"eventName": "ConsoleLogin", "eventTime": "2024-03-04T00:00:00Z"}\n')
    code = block.replace('"path/to/logs"', repr(str(tmp_path / "logs.ndjson")))
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # the README's own example, not user input
    assert namespace["result"].rows == [{"count": 1}]


def readme_repl_searches() -> list[tuple[str, list[str]]]:
    """(search, the lines the README shows after it) for each search typed in the REPL session."""
    block = README.split("## The REPL")[1].split("\n\n    $ spl-lite\n")[1].split("\n\n")[0]
    lines = [line[4:] for line in block.splitlines()]
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("spl> ") and "<Tab>" not in line and not line[5:].startswith("."):
            text = line[5:]
            i += 1
            while i < len(lines) and lines[i].startswith("...> "):
                text += "\n" + lines[i][5:]
                i += 1
            shown = []
            while i < len(lines) and not lines[i].startswith("spl> "):
                shown.append(lines[i])
                i += 1
            out.append((text, shown))
        else:
            i += 1
    return out


def test_readme_repl_session(engine):
    searches = readme_repl_searches()
    assert len(searches) == 2
    for text, shown in searches:
        result = engine.search(text)
        if shown:
            assert result.to_table().splitlines() == shown[:-1]
            assert shown[-1].startswith(f"{len(result.rows)} results in")


def test_readme_explain_example(capsys):
    import shlex
    block = README.split("    $ spl-lite explain ")[1].split("\n\n")[0]
    command, *shown = block.splitlines()
    assert main(["explain", *shlex.split(command)]) == 0
    assert capsys.readouterr().out.splitlines() == [line[4:] for line in shown]
