"""The command line as a user drives it: real subprocesses, exit codes, JSON, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mlsd.catalog import load_catalog

# None once every built-in pattern is available (tests/unit/test_resolver.py covers planned ones)
PLANNED = next((e.id for e in load_catalog().patterns if not e.available), None)
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}


def mlsd(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlsd", *args],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_list_json_has_every_entry_with_required_fields():
    out = mlsd("list", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    kinds = {d["kind"] for d in data}
    assert kinds == {"pattern", "antipattern", "preset"}
    for d in data:
        if d["kind"] != "preset":
            assert {"id", "category", "title", "summary", "status", "requires", "conflicts"} <= set(
                d
            )
    assert sum(d["kind"] == "pattern" for d in data) == 28


def test_list_filters_and_table():
    out = mlsd("list", "--category", "training", "--status", "available")
    assert out.returncode == 0
    assert "batch-training" in out.stdout and "web-single" not in out.stdout
    planned_training = [
        e.id for e in load_catalog().patterns if e.category == "training" and not e.available
    ]
    for pid in planned_training:
        assert pid not in out.stdout
    bad = mlsd("list", "--category", "nope")
    assert bad.returncode == 2 and "unknown category" in bad.stderr


def test_show_pattern_antipattern_preset_and_unknown():
    assert "Adds:" in mlsd("show", "asynchronous").stdout
    assert "mlsd add prediction-log" in mlsd("show", "no-logging").stdout
    assert "web-single" in mlsd("show", "minimal").stdout
    out = mlsd("show", "asynchronus")
    assert out.returncode == 2
    assert "did you mean asynchronous" in out.stderr
    assert "Traceback" not in out.stderr


def test_list_does_not_import_the_heavy_machinery():
    code = (
        "import sys; from typer.testing import CliRunner; from mlsd.cli import app;"
        "r = CliRunner().invoke(app, ['list']); assert r.exit_code == 0, r.output;"
        "print(sorted(m for m in ('jinja2', 'copier', 'cookiecutter', 'mlsd.render') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_new_without_answers_and_no_tty_fails_listing_them(tmp_path):
    out = mlsd("new", str(tmp_path / "demo"))
    assert out.returncode == 2
    assert "--pattern" in out.stderr
    out = mlsd("new", str(tmp_path / "demo"), "--pattern", "model-load")
    assert out.returncode == 2
    assert "online topology" in out.stderr and "training" in out.stderr
    assert not (tmp_path / "demo").exists()


def test_new_with_defaults_json(tmp_path):
    out = mlsd("new", str(tmp_path / "demo"), "-p", "asynchronous", "--defaults", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["patterns"] == ["web-single", "asynchronous", "model-in-image"]
    assert data["written"] is True
    assert (tmp_path / "demo" / ".mlsd" / "answers.yaml").is_file()


def test_new_errors_are_clear(tmp_path):
    cases = [
        (["-p", "web-single", "-p", "synchronous", "--defaults"], "clash"),
        (["-p", "nope"], "unknown pattern"),
        (["--preset", "nope"], "unknown preset"),
    ]
    if PLANNED:
        cases.append((["-p", PLANNED, "--defaults"], "not available yet"))
    for args, text in cases:
        out = mlsd("new", str(tmp_path / "demo"), *args)
        assert out.returncode == 2, (args, out.stderr)
        assert text in out.stderr, (args, out.stderr)
        assert "Traceback" not in out.stderr
    out = mlsd("new", str(tmp_path / "Bad_Name!"), "--preset", "minimal")
    assert out.returncode == 2 and "not a valid project name" in out.stderr
    assert not any(tmp_path.iterdir())


def test_new_json_error_shape(tmp_path):
    out = mlsd("new", str(tmp_path / "demo"), "-p", "nope", "--json")
    assert out.returncode == 2
    assert json.loads(out.stdout)["error"] == "UnknownEntryError"


def test_new_from_answers_file_and_dry_run(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("patterns: [asynchronous]\ndefaults: true\nname: my-service\n")
    out = mlsd("new", str(tmp_path / "demo"), "--answers", str(answers), "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "dry run" in out.stdout and "my-service" in out.stdout
    assert not (tmp_path / "demo").exists()
    answers.write_text("patterns: [asynchronous]\ncolour: blue\n")
    out = mlsd("new", str(tmp_path / "demo"), "--answers", str(answers))
    assert out.returncode == 2 and "colour" in out.stderr


def test_new_refuses_non_empty_target_without_force(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "x.txt").write_text("mine")
    out = mlsd("new", str(tmp_path / "demo"), "--preset", "minimal")
    assert out.returncode == 2 and "--force" in out.stderr


def test_add_status_resume_through_the_cli(tmp_path):
    target = tmp_path / "demo"
    assert mlsd("new", str(target), "-p", "web-single", "--defaults").returncode == 0
    plan = mlsd("add", "asynchronous", "--path", str(target), "--dry-run")
    assert plan.returncode == 0 and "dry run" in plan.stdout and "create" in plan.stdout
    assert not (target / "src/demo/routes/jobs.py").exists()
    (target / "README.md").write_text("my own readme\n")
    added = mlsd("add", "asynchronous", "--path", str(target))
    assert added.returncode == 1, added.stdout + added.stderr  # README conflicts
    assert "conflict" in added.stdout and (target / "src/demo/routes/jobs.py").is_file()
    status = mlsd("status", "--path", str(target), "--json")
    assert status.returncode == 1 and json.loads(status.stdout)["conflicts"] == ["README.md"]
    assert mlsd("resume", "--path", str(target)).returncode == 1
    (target / "README.md").write_text("my own readme, merged by hand\n")
    assert mlsd("resume", "--path", str(target)).returncode == 0
    assert mlsd("status", "--path", str(target)).returncode == 0
    again = mlsd("add", "asynchronous", "--path", str(target))
    assert again.returncode == 2 and "already part" in again.stderr
    outside = mlsd("add", "asynchronous", "--path", str(tmp_path))
    assert outside.returncode == 2 and "not an mlsd project" in outside.stderr
    assert "Traceback" not in outside.stderr
