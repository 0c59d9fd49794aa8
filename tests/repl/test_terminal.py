"""End to end in a real terminal: spl-lite repl under tmux, typed at and read off the screen."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="no tmux on this machine")


class Terminal:
    def __init__(self, tmp_path):
        self.socket = f"spl-lite-test-{os.getpid()}"
        env = {**os.environ, "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm-256color"}
        command = f"{sys.executable} -m spl_lite repl"
        subprocess.run(["tmux", "-L", self.socket, "new-session", "-d", "-s", "t", "-x", "160", "-y", "45",
                        command], check=True, env=env)

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", "t", *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-t", "t", "-p"], check=True,
                              capture_output=True, text=True).stdout

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts} not on screen:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], check=False, capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    t = Terminal(tmp_path)
    yield t
    t.close()


def test_repl_in_a_real_terminal(terminal, tmp_path):
    terminal.wait_for("Loaded 3,000 events from the bundled sample", "spl>")
    terminal.keys("| sta")
    terminal.keys("Tab")
    screen = terminal.wait_for("eventstats", "streamstats")
    assert "spl> | stats" in screen
    terminal.keys("C-u")
    terminal.keys("eventName=ConsoleLogin | stats count by userIdentity.userN")
    terminal.keys("Tab")
    terminal.wait_for("userIdentity.userName", "% of events")
    terminal.keys("Enter")
    terminal.keys("Enter")
    screen = terminal.wait_for("3 results in")
    table = screen[screen.index("userIdentity.userName    count"):].splitlines()
    assert table[2].split() == ["bstoll", "4"]
    terminal.keys("C-d")
    deadline = time.monotonic() + 10
    while subprocess.run(["tmux", "-L", terminal.socket, "has-session", "-t", "t"],
                         capture_output=True).returncode == 0:
        assert time.monotonic() < deadline, "the REPL did not leave on Ctrl-D"
        time.sleep(0.1)
    assert "eventName=ConsoleLogin | stats count by userIdentity.userName" in \
        (tmp_path / "spl_lite" / "history").read_text()
