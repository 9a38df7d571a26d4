"""The guided `mlsd new`: driven in a real pseudo-terminal by keys, like a user would.

The child's output goes through a terminal emulator (pyte), and the tests read the screen:
prompt_toolkit redraws only what changed, so the raw byte stream cannot be matched reliably.
pyte also answers the cursor-position requests prompt_toolkit sends, as a real terminal does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from mlsd.catalog import load_catalog
from mlsd.prompts import Request, ask_open
from mlsd.prompts.live import status_of
from mlsd.render import Project

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

CATALOG = load_catalog()
UP, DOWN, ENTER, CTRL_C, BACKSPACE = "\x1b[A", "\x1b[B", "\r", "\x03", "\x7f"
ROWS, COLS = 60, 140


class Terminal:
    """`mlsd new ARGS` in a pseudo-terminal, with its screen as a user would see it."""

    def __init__(self, *args: str, term: str = "xterm-256color") -> None:
        env = {**os.environ, "NO_COLOR": "1", "TERM": term}
        env.pop("COLUMNS", None)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "mlsd", "new", *args],
            env=env,
            encoding="utf-8",
            dimensions=(ROWS, COLS),
        )
        self.screen = pyte.Screen(COLS, ROWS)
        self.screen.write_process_input = self.child.send  # answers ESC[6n like a terminal
        self.stream = pyte.Stream(self.screen)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def unwrapped(self) -> str:
        """The screen with full-width rows joined to the next (where the terminal wrapped)."""
        width = self.screen.columns
        return "".join(
            line if len(line) == width else line.rstrip() + "\n" for line in self.screen.display
        )

    def wait_for(self, pattern: str, timeout: float = 30) -> str:
        """Read until the screen shows `pattern` (a regex); fail with the screen if not."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text()):
            if time.monotonic() > deadline:
                raise AssertionError(f"never shown: {pattern!r}; the screen:\n{self.text()}")
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                if not re.search(pattern, self.text()):
                    raise AssertionError(f"exited before {pattern!r}:\n{self.text()}") from None
        return self.text()

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def sendline(self, line: str) -> None:
        self.child.sendline(line)

    def finish(self) -> int:
        """Read to the end; the exit status."""
        while True:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=30))
            except pexpect.EOF:
                break
        self.child.close()
        return self.child.exitstatus


def answers(target: Path) -> dict:
    return yaml.safe_load((target / ".mlsd" / "answers.yaml").read_text())


def confirm_and_read(tty: Terminal, target: Path) -> dict:
    """Confirm the plan; the render succeeds; what `.mlsd/answers.yaml` recorded."""
    tty.wait_for(r"Render this project\?")
    tty.send(ENTER)
    tty.wait_for("Created")
    assert tty.finish() == 0
    return answers(target)


def test_choose_a_preset(tmp_path):
    target = tmp_path / "churn_api"
    tty = Terminal(str(target))
    tty.wait_for("Start from a preset")
    tty.send(ENTER)  # the first preset is highlighted
    tty.wait_for("Project name")
    tty.send(ENTER)  # the folder's name, as a package-friendly id
    tty.wait_for("One line on what it predicts")
    tty.send("Scores churn risk nightly" + ENTER)
    tty.wait_for("Backing servers")
    tty.wait_for("--preset minimal")  # the same project without questions
    recorded = confirm_and_read(tty, target)
    assert recorded["project"]["name"] == "churn-api"
    assert recorded["project"]["description"] == "Scores churn risk nightly"
    assert set(recorded["requested"]) == set(CATALOG.presets["minimal"].patterns)


def test_choose_patterns_by_keys_with_a_live_clash_refused(tmp_path):
    target = tmp_path / "demo"
    tty = Terminal(str(target))
    tty.wait_for("Start from a preset")
    tty.send(UP)  # wraps to the last entry: choose patterns
    tty.send(ENTER)
    tty.wait_for("Which patterns")
    tty.wait_for("nothing chosen yet")
    tty.send(" ")  # web-single, the first pattern
    tty.wait_for(r"\+ model-in-image: default model delivery")  # live: the resolver adds it
    tty.send(DOWN + " ")  # synchronous: a second online topology
    tty.wait_for("clash")
    tty.wait_for("instead: choose one of web-single, synchronous")
    tty.send(ENTER)  # refused: the invalid set cannot be confirmed
    tty.wait_for("Not possible")
    tty.send(" ")  # drop synchronous again
    tty.send("prediction-log")  # type to filter, then toggle the match
    tty.wait_for("/ prediction-log")  # the filter line
    tty.send(" ")
    tty.wait_for(r"3 patterns \(2 chosen\)")
    tty.send(ENTER)
    tty.wait_for("web-single, prediction-log")
    tty.wait_for("Project name")
    tty.send(BACKSPACE * 10 + "churn-api" + ENTER)
    tty.wait_for("One line")
    tty.send(ENTER)  # no description
    recorded = confirm_and_read(tty, target)
    assert recorded["project"]["name"] == "churn-api"
    assert recorded["project"]["description"] == Project("x").description  # the generic one
    # what the user picked is requested; the filled-in default is not
    assert recorded["requested"] == ["web-single", "prediction-log"]
    assert "model-in-image" in recorded["patterns"]
    # the same answers given as options, without a terminal, record the same thing
    replay = tmp_path / "replay"
    options = ["--pattern", "web-single", "--pattern", "prediction-log", "--name", "churn-api"]
    done = subprocess.run(
        [sys.executable, "-m", "mlsd", "new", str(replay), *options, "--defaults"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert answers(replay) == recorded


def test_a_cleared_filter_leaves_the_cursor_on_a_pattern(tmp_path):
    tty = Terminal(str(tmp_path / "demo"), "--name", "demo", "--defaults")
    tty.wait_for("Start from a preset")
    tty.send(UP + ENTER)
    tty.wait_for("nothing chosen yet")
    tty.send(DOWN * 2 + "batch")  # filter: the cursor jumps to the first row
    tty.wait_for("/ batch")
    tty.send(BACKSPACE * 5)  # filter gone: row 0 is the "Serving" heading, not a pattern
    tty.wait_for(r"» . web-single")
    tty.send(" ")
    tty.wait_for(r"\+ model-in-image: default model delivery \(needed by web-single\)")
    tty.send(CTRL_C)
    assert tty.finish() == 130


def test_ctrl_c_at_a_question_writes_nothing_and_exits_130(tmp_path):
    target = tmp_path / "demo"
    tty = Terminal(str(target), "--preset", "minimal")  # only the name and description are open
    tty.wait_for("Project name")
    tty.send(CTRL_C)
    tty.wait_for("cancelled: nothing was written")
    assert tty.finish() == 130
    assert not target.exists()


def test_no_at_the_confirmation_writes_nothing(tmp_path):
    target = tmp_path / "demo"
    tty = Terminal(str(target), "--pattern", "batch", "--name", "scorer", "--description", "x y")
    tty.wait_for(r"Which model delivery\? \(needed by batch\)")  # an open axis
    tty.send(DOWN + ENTER)  # model-load, not the default
    tty.wait_for(r"Which training\? \(needed by model-load\)")  # opened by that answer
    tty.send(ENTER)  # the default
    # the replay: the answer that differs from the default is asked for, the other is a default
    tty.wait_for(r"Render this project")
    assert re.search(
        r"Without questions: .*--pattern batch --pattern model-load .*--defaults", tty.unwrapped()
    )
    tty.wait_for(r"Render this project\?")
    tty.send("n")
    assert tty.finish() == 130
    assert not target.exists()


def test_non_empty_target_is_refused_before_the_first_question(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("mine")
    tty = Terminal(str(tmp_path / "demo"))
    tty.wait_for("is not empty")
    assert tty.finish() == 2
    assert "Start from" not in tty.text()


def test_dumb_terminal_keeps_the_numbered_prompt(tmp_path):
    target = tmp_path / "demo"
    tty = Terminal(str(target), term="dumb")
    tty.wait_for("Patterns")
    tty.sendline("web-single synchronous")  # a clash: explained, then asked again
    tty.wait_for("Not possible")
    tty.sendline("asynchronous")
    tty.wait_for("because")
    tty.wait_for(r"Render this project\?")
    tty.sendline("y")
    tty.wait_for("Created")
    assert tty.finish() == 0
    recorded = answers(target)
    assert recorded["requested"] == ["asynchronous"]  # defaults are not "requested"
    assert "web-single" in recorded["patterns"]


def test_dumb_terminal_ctrl_c_exits_130(tmp_path):
    tty = Terminal(str(tmp_path / "demo"), term="dumb")
    tty.wait_for("Patterns")
    tty.send(CTRL_C)
    assert tty.finish() == 130
    assert not (tmp_path / "demo").exists()


def test_everything_given_asks_nothing(tmp_path):
    tty = Terminal(str(tmp_path / "demo"), "--preset", "minimal", "--defaults")
    tty.wait_for("Created")
    assert tty.finish() == 0


def test_live_status_names_additions_and_clashes():
    ok = status_of(CATALOG, ["asynchronous"])
    assert ok.ok and dict(ok.added)["web-single"].startswith("default")
    clash = status_of(CATALOG, ["web-single", "synchronous"])
    assert not clash.ok and "clash" in clash.problem and "choose one of" in clash.instead
    assert not status_of(CATALOG, []).ok


def test_without_a_terminal_the_error_names_the_options(tmp_path):
    from mlsd.errors import MissingAnswersError

    with pytest.raises(MissingAnswersError) as err:
        ask_open(tmp_path / "demo", Request(), force=False, interactive=False)
    assert "--pattern" in (err.value.hint or "")
    given = Request(["batch"], name="x")
    assert ask_open(tmp_path / "demo", given, force=False, interactive=False) == given


def test_request_command_replays_the_answers():
    request = Request(["prediction-log"], ["minimal"], "churn", "Scores churn", True)
    assert request.command(Path("demo")) == (
        "mlsd new demo --preset minimal --pattern prediction-log --name churn "
        "--description 'Scores churn' --defaults"
    )
