"""`mlsd export copier`: the template copier renders is the project `mlsd new` renders, and
a tagged second export reaches an edited project through `copier update`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

copier = pytest.importorskip("copier")

NAME = "churn-scoring-service-with-a-long-name-to-cut-in-grafana-uids"
DESCRIPTION = "Scores churn risk for each customer <nightly> & weekly."
HOUSE_PACK = Path(__file__).resolve().parents[2] / "examples" / "house-pack"
# (options before the command, the selection)
SETS = {
    "minimal": ([], ["--preset", "minimal"]),
    "gateway": ([], ["--preset", "gateway"]),
    "async-cache": ([], ["--pattern", "asynchronous", "--pattern", "prediction-cache"]),
    "house-pack": (["--pack", str(HOUSE_PACK)], ["--pattern", "model-card"]),
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def mlsd(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlsd", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=300,
    )


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    )
    return out.stdout


def commit_all(cwd: Path, message: str, tag: str | None = None) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-qm", message)
    if tag:
        git(cwd, "tag", tag)


def snapshot(root: Path, skip: str) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` with its mode, but the tool's own state (`skip`)."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mode & 0o777)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(skip)
    }


@pytest.mark.parametrize("set_id", sorted(SETS))
def test_copier_copy_equals_mlsd_new(set_id: str, tmp_path: Path) -> None:
    root, selection = SETS[set_id]
    out = mlsd(*root, "export", "copier", str(tmp_path / "tpl"), *selection, "--defaults")
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "tpl" / "template" / ".mlsd").exists()
    copier.run_copy(
        str(tmp_path / "tpl"),
        tmp_path / "copied",
        data={"project_name": NAME, "project_description": DESCRIPTION},
        defaults=True,
        quiet=True,
    )
    made = mlsd(*root, "new", str(tmp_path / "new"), *selection, "--defaults", "--name", NAME,
                "--description", DESCRIPTION)  # fmt: skip
    assert made.returncode == 0, made.stderr
    copied = snapshot(tmp_path / "copied", ".copier-answers.yml")
    rendered = snapshot(tmp_path / "new", ".mlsd/")
    assert sorted(copied) == sorted(rendered)
    different = [p for p in rendered if copied[p] != rendered[p]]
    assert different == []
    answers = (tmp_path / "copied" / ".copier-answers.yml").read_text()
    assert f'project_name: "{NAME}"' in answers


def test_defaults_are_the_exported_name_and_description(tmp_path: Path) -> None:
    out = mlsd("export", "copier", str(tmp_path / "tpl"), "--preset", "minimal", "--defaults",
               "--name", "fraud-model", "--description", "Flags fraud.")  # fmt: skip
    assert out.returncode == 0, out.stderr
    copier.run_copy(str(tmp_path / "tpl"), tmp_path / "p", defaults=True, quiet=True)
    pyproject = (tmp_path / "p" / "pyproject.toml").read_text()
    assert 'name = "fraud-model"' in pyproject and 'description = "Flags fraud."' in pyproject
    assert (tmp_path / "p" / "src" / "fraud_model" / "__init__.py").is_file()


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"project_name": "Churn"}, "lower-case letters"),
        ({"project_name": "class"}, "would shadow"),
        ({"project_description": 'Says "hi".'}, "no quotes"),
    ],
)
def test_copier_refuses_answers_mlsd_refuses(
    data: dict[str, str], problem: str, tmp_path: Path
) -> None:
    assert mlsd("export", "copier", str(tmp_path / "tpl"), "--preset", "minimal").returncode == 0
    with pytest.raises(ValueError, match=problem):
        copier.run_copy(str(tmp_path / "tpl"), tmp_path / "p", data=data, defaults=True, quiet=True)


def test_copier_update_merges_a_new_template_version_into_an_edited_project(
    tmp_path: Path,
) -> None:
    tpl, project = tmp_path / "tpl", tmp_path / "project"
    assert mlsd("export", "copier", str(tpl), "--preset", "minimal").returncode == 0
    git(tmp_path, "init", "-q", str(tpl))
    commit_all(tpl, "v1", tag="v1")
    copier.run_copy(str(tpl), project, data={"project_name": "churn"}, defaults=True,
                    vcs_ref="v1", quiet=True)  # fmt: skip
    git(tmp_path, "init", "-q", str(project))
    commit_all(project, "from the template")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nOur on-call rota: see the wiki.\n")
    commit_all(project, "our edit")

    out = mlsd("export", "copier", str(tpl), "--preset", "minimal", "--pattern",
               "prediction-log", "--defaults", "--force")  # fmt: skip
    assert out.returncode == 0, out.stderr
    commit_all(tpl, "v2: with prediction-log", tag="v2")
    copier.run_update(project, defaults=True, overwrite=True, quiet=True, unsafe=True)

    text = readme.read_text()
    assert "Our on-call rota: see the wiki." in text  # the user's edit survived
    assert "prediction-log" in text  # and the template's change arrived
    assert (project / "src" / "churn" / "hooks" / "prediction_log.py").is_file()
    assert '_commit: "v2"' in (project / ".copier-answers.yml").read_text()
    assert "<<<<<<<" not in text


def test_re_export_replaces_template_and_keeps_other_files(tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    base = ["export", "copier", str(tpl), "--defaults"]
    assert mlsd(*base, "--pattern", "asynchronous").returncode == 0
    (tpl / "LICENSE").write_text("ours\n")
    worker = [p for p in (tpl / "template").rglob("*") if "worker" in p.name]
    assert worker
    out = mlsd(*base, "--preset", "minimal", "--force", "--json")
    assert out.returncode == 0, out.stderr
    assert (tpl / "LICENSE").read_text() == "ours\n"
    assert not any(p.exists() for p in worker)  # left-overs of the first export are gone
    assert '"removed"' in out.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--pattern", "no-such-pattern"], "no-such-pattern"),
        (["--pattern", "web-single", "--pattern", "synchronous"], "clash"),
        ([], "no pattern chosen"),
        (["--preset", "minimal", "--name", "class"], "class"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    args: list[str], message: str, tmp_path: Path
) -> None:
    out = mlsd("export", "copier", str(tmp_path / "tpl"), *args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "tpl").exists()


def test_non_empty_target_needs_force(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "notes.txt").write_text("mine\n")
    out = mlsd("export", "copier", str(tmp_path / "tpl"), "--preset", "minimal")
    assert out.returncode == 2 and "not empty" in out.stderr
    assert [p.name for p in (tmp_path / "tpl").iterdir()] == ["notes.txt"]
