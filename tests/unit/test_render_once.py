"""`mlsd new`, `add` and `upgrade` render once: the plan they show is the plan they apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlsd import api, evolve, render
from mlsd.cli import app


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Wrap the tree renderer where api and evolve call it; the list holds the call count."""
    calls = [0]
    real = render.render_tree

    def counting(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "render_tree", counting)
    monkeypatch.setattr(evolve, "render_tree", counting)
    return calls


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120"})


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_new_renders_once_and_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    calls = count_renders(monkeypatch)
    target = tmp_path / "demo"
    out = invoke("new", str(target), "--pattern", "web-single", "--defaults", *extra)
    assert out.exit_code == 0, out.output
    assert calls == [1]
    assert (target / "README.md").is_file()


def test_new_dry_run_renders_once_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_renders(monkeypatch)
    out = invoke("new", str(tmp_path / "demo"), "--preset", "minimal", "--defaults", "--dry-run")
    assert out.exit_code == 0, out.output
    assert "nothing was written" in out.output
    assert calls == [1]
    assert not (tmp_path / "demo").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["add", "prediction-log"],
        ["upgrade"],
        ["add", "prediction-log", "--json"],
    ],
)
def test_add_and_upgrade_render_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    root = tmp_path / "demo"
    api.new_project(root, ["web-single"], use_defaults=True)
    calls = count_renders(monkeypatch)
    out = invoke(*command, "--path", str(root), "--allow-dirty")
    assert out.exit_code == 0, out.output
    assert calls == [1]
    if command[0] == "add":
        assert "prediction-log" in api.project_status(root).answers.patterns


def test_plan_then_apply_is_the_shown_plan(tmp_path: Path) -> None:
    """The object the CLI shows is the one it applies: applying twice writes once."""
    root = tmp_path / "demo"
    plan = api.plan_new(root, api.NewRequest(("web-single",), use_defaults=True))
    assert not root.exists() and not plan.written
    assert plan.apply() is plan and plan.written
    added = api.plan_add(root, ["prediction-log"])
    assert not added.written and added.plan.writes
    assert added.apply() is added and added.written and not added.pending
    assert added.apply() is added  # a second apply writes nothing again
    assert api.plan_upgrade(root).plan.writes == {}


def test_answers_file_merges_under_the_flags(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("patterns: [web-single]\nname: from-file\ndefaults: true\n")
    request = api.NewRequest.gather(["prediction-log"], answers_file=answers, name="from-flag")
    assert request.patterns == ("web-single", "prediction-log")
    assert request.name == "from-flag" and request.use_defaults
    assert api.NewRequest.gather([], answers_file=answers).name == "from-file"


def test_bad_conflict_style_is_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    api.new_project(root, ["web-single"], use_defaults=True)
    out = invoke("add", "prediction-log", "--path", str(root), "--conflict", "both")
    assert out.exit_code == 2
    assert "--conflict must be inline or rej" in out.output
