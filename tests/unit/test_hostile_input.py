"""Input a new user can give that must end in a clear message, never a traceback, and never
in a half-written file: answers files, targets, damaged `.mlsd/` state, odd `check` trees."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from mlsd import api, guard
from mlsd.state import ANSWERS_FILE, BASE_FILE, LEGACY_BASE_FILE, PENDING_FILE

ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
IS_ROOT = os.geteuid() == 0


def mlsd(
    *args: object, cwd: Path | None = None, env: dict[str, str] = ENV
) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [sys.executable, "-m", "mlsd", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pristine") / "demo"
    api.new_project(root, ["web-single"], use_defaults=True)
    return root


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(pristine, root)
    return root


@contextlib.contextmanager
def mounted_tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A real small or read-only filesystem (needs root, which CI has)."""
    if not IS_ROOT or shutil.which("mount") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run as root to mount a tmpfs")
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


# --- answers files given to `mlsd new --answers` -----------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name: 5\npatterns: [web-single]\n", "`name` must be text"),
        (b"\xff\xfepatterns: [web-single]\n", "is not UTF-8 text"),
        (b"", "is empty"),
        (b"patterns: web-single\n", "`patterns` must be a list of ids"),
        (b"- web-single\n", "must be a mapping"),
        (b"patterns: [web-single\n", "is not valid YAML"),
        (b"pattern: [web-single]\n", "unknown keys: pattern"),
        (b"defaults: maybe\npatterns: [web-single]\n", "`defaults` must be bool"),
    ],
    ids=["name-int", "bad-utf8", "empty", "scalar-patterns", "list", "bad-yaml", "typo", "bool"],
)
def test_bad_answers_file_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(content)
    out = mlsd("new", tmp_path / "demo", "--answers", answers, "--defaults")
    assert out.returncode == 2
    assert message in out.stderr
    assert not (tmp_path / "demo").exists()


def test_answers_file_that_is_a_folder(tmp_path: Path) -> None:
    out = mlsd("new", tmp_path / "demo", "--answers", tmp_path)
    assert out.returncode == 2 and "is a folder, not a file" in out.stderr


def test_answers_description_is_used(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("patterns: [web-single]\ndescription: Scores churn risk nightly.\n")
    out = mlsd("new", tmp_path / "demo", "--answers", answers, "--defaults")
    assert out.returncode == 0, out.stderr
    assert "Scores churn risk nightly." in (tmp_path / "demo" / "README.md").read_text()
    assert "Scores churn risk nightly." in (tmp_path / "demo" / "pyproject.toml").read_text()


# --- targets ------------------------------------------------------------------------------


def test_target_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    out = mlsd("new", tmp_path / "afile" / "sub", "-p", "web-single", "--defaults")
    assert out.returncode == 2
    assert "is a file, not a folder" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_read_only_target(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        out = mlsd("new", ro / "demo", "-p", "web-single", "--defaults")
        assert out.returncode == 2
        assert "cannot write into" in out.stderr
        assert list(ro.iterdir()) == []


def test_full_disk_leaves_nothing(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "small", "size=64k") as small:
        out = mlsd("new", small / "deep" / "demo", "-p", "web-single", "--defaults")
        assert out.returncode == 2
        assert "No space left on device" in out.stderr and "nothing was written" in out.stderr
        assert list(small.iterdir()) == []  # neither the project nor the parent it made


def test_new_project_gets_the_umask(tmp_path: Path) -> None:
    umask_then_mlsd = "import os; os.umask(0o022); from mlsd.cli import main; main()"
    args = ["new", str(tmp_path / "demo"), "-p", "web-single", "--defaults"]
    out = subprocess.run(
        [sys.executable, "-c", umask_then_mlsd, *args],
        capture_output=True,
        text=True,
        env=ENV,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "demo").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("class", "a Python keyword"),
        ("os", "a standard-library module"),
        ("json", "a standard-library module"),
        ("fastapi", "a package the generated project imports"),
        ("numpy", "a package the generated project imports"),
        ("scikit-learn", None),  # becomes scikit_learn: allowed, it does not shadow sklearn
    ],
)
def test_names_that_cannot_work_are_refused(tmp_path: Path, name: str, why: str | None) -> None:
    out = mlsd("new", tmp_path / "x", "--name", name, "-p", "web-single", "--defaults", "--dry-run")
    if why is None:
        assert out.returncode == 0, out.stderr
        return
    assert out.returncode == 2
    assert why in out.stderr and f"--name {name}-service" in out.stderr
    assert not (tmp_path / "x").exists()


def test_too_long_name_states_the_limit(tmp_path: Path) -> None:
    out = mlsd("new", tmp_path / "x", "--name", "a" * 70, "-p", "web-single", "--defaults")
    assert out.returncode == 2 and "the limit is 63" in out.stderr


# --- damaged .mlsd/ state -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "content"),
    [
        (ANSWERS_FILE, b"project: abc\npatterns: [web-single]\nmlsd_version: 0.1.0\n"),
        (ANSWERS_FILE, b"mlsd_version: 0.1.0\nproject: {name: 5, package: x}\npatterns: []\n"),
        (ANSWERS_FILE, b"\xff\xfe\x00"),
        (ANSWERS_FILE, b""),
        (BASE_FILE, gzip.compress(b"[]")),
        (BASE_FILE, gzip.compress(b'{"README.md": 5}')),
        (BASE_FILE, gzip.compress(b"{oops")),
        (BASE_FILE, gzip.compress(b"\xff\xfe{}")),
        (BASE_FILE, b"{}"),
        (BASE_FILE, gzip.compress(b"{}")[:12]),
        (LEGACY_BASE_FILE, b"[]"),
        (LEGACY_BASE_FILE, b'{"README.md": 5}'),
        (LEGACY_BASE_FILE, b"{oops"),
    ],
    ids=[
        "project-scalar",
        "name-int",
        "bad-utf8",
        "empty",
        "base-list",
        "base-int",
        "base-not-json",
        "base-bad-utf8",
        "base-not-gzip",
        "base-truncated",
        "old-base-list",
        "old-base-int",
        "old-base-not-json",
    ],
)
def test_damaged_state_is_named_and_nothing_changes(
    project: Path, rel: str, content: bytes
) -> None:
    if rel == LEGACY_BASE_FILE:  # a project made before the base was compressed
        (project / BASE_FILE).unlink()
    (project / rel).write_bytes(content)
    before = snapshot(project)
    for args in (["add", "prediction-log"], ["upgrade"]):
        out = mlsd(*args, "--path", project, "--allow-dirty")
        assert out.returncode == 2, out.stderr
        assert "is damaged" in out.stderr and "restore it from version control" in out.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "content",
    [
        b"{oops",
        b"{}",
        b'{"conflicts": [], "sidecars": [], "state": {}, "state_base64": {"x": "%%"}}',
    ],
    ids=["not-json", "empty-object", "bad-base64"],
)
def test_damaged_pending_merge_has_a_way_out(project: Path, content: bytes) -> None:
    (project / PENDING_FILE).write_bytes(content)
    for args in (["status"], ["add", "prediction-log", "--allow-dirty"], ["resume"]):
        out = mlsd(*args, "--path", project)
        assert out.returncode == 2, out.stderr
        assert f"delete {PENDING_FILE}" in out.stderr
    (project / PENDING_FILE).unlink()  # the way out the message gives
    assert mlsd("status", "--path", project).returncode == 0


def test_status_from_a_sub_folder(project: Path) -> None:
    out = mlsd("status", "--json", cwd=project / "src")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["root"] == str(project)
    outside = mlsd("status", cwd=project.parent)
    assert outside.returncode == 2 and "is not an mlsd project" in outside.stderr


# --- mlsd check ----------------------------------------------------------------------------


def test_check_output_into_a_missing_folder(pristine: Path) -> None:
    out = mlsd("check", pristine, "-o", "/nonexistent/dir/x.json", "--output-format", "json")
    assert out.returncode == 2
    assert "folder /nonexistent/dir does not exist" in out.stderr


def test_check_skips_fifo_and_device_files(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("import logging\n")
    os.mkfifo(repo / "pipe.py")
    if IS_ROOT:
        os.mknod(repo / "dev.py", 0o600 | 0o020000, os.makedev(1, 3))  # like /dev/null
    out = mlsd("check", repo, "--output-format", "json", "--exit-zero")
    assert out.returncode == 0, out.stderr
    skipped = {s["path"] for s in json.loads(out.stdout)["skipped"]}
    assert "pipe.py" in skipped
    assert not IS_ROOT or "dev.py" in skipped


# --- the one error path -----------------------------------------------------------------------


def test_unexpected_exception_is_an_internal_error_with_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken() -> int:
        raise KeyError("boom")

    with pytest.raises(typer.Exit) as exit_info:
        guard.run(broken, as_json=True)
    assert exit_info.value.exit_code == 3
    captured = capsys.readouterr()
    error = json.loads(captured.out)
    assert error["error"] == "InternalError" and "KeyError" in error["message"]
    assert "internal error" in captured.err and "report" in captured.err


def test_check_internal_error_exits_3_with_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from mlsd.check import api as check_api
    from mlsd.cli import app

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("rule crashed")

    monkeypatch.setattr(check_api, "run_check_with_config", broken)
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout)["message"] == "internal error: RuntimeError: rule crashed"


def test_force_names_every_file_it_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    target.mkdir()
    (target / "README.md").write_text("mine\n")
    (target / "notes.txt").write_text("kept\n")
    out = mlsd("new", target, "-p", "web-single", "--defaults", "--force", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "overwrite README.md" in " ".join(out.stdout.split())
    assert "notes.txt" not in out.stdout
    assert (target / "README.md").read_text() == "mine\n"


def test_piped_diff_is_not_wrapped(project: Path) -> None:
    no_width = {k: v for k, v in ENV.items() if k != "COLUMNS"}
    out = mlsd("add", "prediction-log", "--dry-run", "--diff", "--path", project, env=no_width)
    assert out.returncode == 0, out.stderr
    readme = (project / "README.md").read_text().splitlines()
    long_line = next(line for line in readme if len(line) > 100)
    assert f" {long_line}" in out.stdout.splitlines()  # a context line, whole, with its prefix
