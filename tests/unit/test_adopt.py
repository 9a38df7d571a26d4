"""`mlsd adopt`: which patterns fit a foreign repository, the blocks in its shared files, and
every bad input refused with exit 2 and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlsd import api
from mlsd.adopt.options import Adopted
from mlsd.adopt.render import LINE_LENGTH, string_assignment
from mlsd.adopt.resolve import MANIFEST, adoptable, adopted_folder, resolve_adopted
from mlsd.adopt.shared import append_block, plan_shared, strip_block
from mlsd.catalog import load_catalog, load_manifest
from mlsd.errors import ResolutionError

ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
UPSTREAM = Adopted(upstream="http://scorer:8000")
WORKFLOW = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: []\n"


def mlsd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlsd", *args],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def repository(root: Path, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir()  # a repository's top folder (git itself is not needed here)
    for rel, text in (files or {"app.py": "print('served')\n"}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- the manifests say what fits -------------------------------------------------------


def test_every_adoptable_pattern_has_an_adopted_folder_and_no_other_does() -> None:
    catalog = load_catalog()
    for entry in catalog.patterns:
        folder = adopted_folder(entry)
        assert folder.is_dir() == entry.adoptable, entry.id
        if entry.adoptable:
            assert set(load_manifest(folder / MANIFEST)) <= {"requires"}, entry.id
            assert (folder / "files").is_dir(), entry.id
    assert set(adoptable(catalog)) >= {
        "synchronous", "prediction-cache", "prediction-circuit-break", "shadow-ab-testing",
        "online-ab-testing", "prediction-log", "prediction-monitoring", "loading-test",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("model-in-image", "delivers the model"),
        ("model-load", "delivers the model"),
        ("batch-training", "trains the model"),
        ("web-single", "online topology"),
        ("asynchronous", "runs the model"),
        ("data-cache", "inside the services"),
    ],
)
def test_patterns_needing_an_mlsd_made_service_are_refused_with_why(
    pattern: str, reason: str
) -> None:
    with pytest.raises(ResolutionError) as caught:
        resolve_adopted(load_catalog(), [pattern], UPSTREAM)
    assert "cannot be added to an adopted repository" in caught.value.message
    assert reason in caught.value.message
    assert "prediction-cache" in (caught.value.hint or "")


def test_add_ons_close_over_the_gateway_and_their_requirements() -> None:
    catalog = load_catalog()
    cache = resolve_adopted(catalog, ["prediction-cache"], UPSTREAM)
    assert cache.patterns == ("synchronous", "prediction-cache")
    assert "gateway in front of the upstream" in cache.reasons["synchronous"]
    monitoring = resolve_adopted(catalog, ["prediction-monitoring"], UPSTREAM)
    assert set(monitoring.patterns) == {"synchronous", "prediction-log", "prediction-monitoring"}
    assert resolve_adopted(catalog, ["loading-test"], UPSTREAM).patterns == ("loading-test",)


def test_without_an_upstream_every_pattern_is_refused_with_how_to_record_one() -> None:
    with pytest.raises(ResolutionError) as caught:
        resolve_adopted(load_catalog(), ["loading-test"], Adopted(upstream=None))
    assert "adopted without one" in caught.value.message
    assert "--upstream" in (caught.value.hint or "")


# --- the blocks in shared files ---------------------------------------------------------


def test_a_block_comes_off_again_byte_for_byte_and_keeps_crlf() -> None:
    for text in ("services:\n  a: {}\n", "services:\r\n  a: {}\r\n", "x: 1"):
        with_block = append_block(text, ["include:", "  - f/compose.yaml"], "")
        assert "include:" in with_block
        assert strip_block(with_block).rstrip("\r\n") == text.rstrip("\r\n")
    crlf = append_block("a: 1\r\n", ["b: 2"], "")
    assert "\n" not in crlf.replace("\r\n", "")


def test_shared_files_that_cannot_take_a_block_are_left_alone_with_a_note(tmp_path: Path) -> None:
    root = repository(
        tmp_path / "r",
        {
            "compose.yaml": "include:\n  - other.yaml\nservices: {}\n",
            ".github/workflows/ci.yml": "jobs:\n  test: {}\nname: ci\non: [push]\n",
        },
    )
    lines = {"compose": lambda _d: ["include:"], "workflow": lambda _d: ["mlsd: {}"]}
    shared = plan_shared(root, {}, {**lines, "pre-commit": lambda _d: []})
    assert shared.files == {} and shared.base == {}
    assert any("compose.yaml alone" in n for n in shared.notes)
    assert any("ci.yml alone" in n for n in shared.notes)


def test_an_edit_to_a_shared_file_after_adopt_is_kept_by_add(tmp_path: Path) -> None:
    root = repository(tmp_path / "r", {"compose.yaml": "services:\n  scorer: {}\n"})
    api.adopt_repository(root, upstream="http://localhost:8000")
    assert (root / "compose.yaml").read_text() == "services:\n  scorer: {}\n"  # no services yet
    (root / "compose.yaml").write_text("# ours\nservices:\n  scorer: {}\n  db: {}\n")
    result = api.add_patterns(root, ["synchronous"], allow_dirty=True)
    assert not result.plan.has_conflicts
    text = (root / "compose.yaml").read_text()
    assert text.startswith("# ours\nservices:\n  scorer: {}\n  db: {}\n")
    assert "include:\n  - prediction-gateway/compose.yaml\n" in text
    removed = api.remove_patterns(root, ["synchronous"], allow_dirty=True)
    assert not removed.plan.has_conflicts
    assert (root / "compose.yaml").read_text() == "# ours\nservices:\n  scorer: {}\n  db: {}\n"


def test_an_upstream_can_be_recorded_later_once(tmp_path: Path) -> None:
    root = repository(tmp_path / "r", {".github/workflows/ci.yml": WORKFLOW})
    api.adopt_repository(root)
    first = api.adopt_repository(root, upstream="http://localhost:9000")
    assert first.notes[0] == "records the upstream http://localhost:9000"
    plan = api.plan_add(root, ["prediction-cache"], allow_dirty=True)
    assert "prediction-gateway/src/prediction_gateway/wrappers/prediction_cache.py" in {
        e.path for e in plan.plan.entries
    }
    again = mlsd("adopt", "--upstream", "http://localhost:9001", cwd=root)
    assert again.returncode == 2 and "adopted already" in again.stderr


def test_the_upstream_command_is_recorded_set_in_ci_and_changed_later(tmp_path: Path) -> None:
    root = repository(tmp_path / "r", {".github/workflows/ci.yml": WORKFLOW})
    api.adopt_repository(root, upstream="http://localhost:9000")
    api.add_patterns(root, ["prediction-cache"], allow_dirty=True)
    conftest = root / "prediction-gateway/tests/conftest.py"
    assert 'RECORDED_COMMAND = ""' in conftest.read_text()
    assert "UPSTREAM_COMMAND:" not in (root / ".github/workflows/ci.yml").read_text()
    command = "uvicorn app:app --port {port} --log-level 'warning' && echo"
    done = mlsd("adopt", "--upstream-command", command, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "records the upstream command" in done.stdout
    assert f"upstream_command: {command}" in (root / ".mlsd/answers.yaml").read_text()
    workflow = yaml.safe_load((root / ".github/workflows/ci.yml").read_text())
    step = workflow["jobs"]["mlsd"]["steps"][-1]
    assert step["env"] == {"UPSTREAM_COMMAND": command}
    namespace: dict[str, object] = {}
    line = next(x for x in conftest.read_text().splitlines() if x.startswith("RECORDED_"))
    exec(line, namespace)  # the rendered line is Python that gives the command back
    assert namespace["RECORDED_COMMAND"] == command
    same = mlsd("adopt", "--upstream-command", command, cwd=root)
    assert same.returncode == 2 and "adopted already" in same.stderr


def test_dry_run_json_names_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    root = repository(tmp_path / "r", {".github/workflows/ci.yml": WORKFLOW})
    before = snapshot(root)
    done = mlsd("adopt", "--upstream", "http://x:1", "--dry-run", "--json", cwd=root)
    assert done.returncode == 0, done.stderr
    assert '"operation": "adopt"' in done.stdout
    assert '".github/workflows/ci.yml"' in done.stdout
    assert snapshot(root) == before


# --- mlsd check in an adopted repository ---------------------------------------------------

SERVICE = (
    "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    '@app.post("/predict")\ndef predict():\n    return {"y": len(request.get_json())}\n'
)


def test_check_suggests_only_what_add_takes_after_adopt_and_not_what_is_in_place(
    tmp_path: Path,
) -> None:
    from mlsd.check.api import run_check
    from mlsd.check.findings import Severity

    root = repository(tmp_path / "r", {"service/app.py": SERVICE, "README.md": "# svc\n"})

    def fixes() -> dict[str, tuple[tuple[str, ...], str]]:
        report = run_check(root)
        return {f.code: (f.fix, f.message) for f in report.findings if f.path == "service/app.py"}

    def severity(code: str) -> Severity:
        report = run_check(root)
        return next(f.severity for f in report.findings if f.code == code)

    before = fixes()
    assert "prediction-log" in before["NL001"][0]  # not adopted: the catalog's advice
    assert severity("NL001") > Severity.INFO
    api.adopt_repository(root, upstream="http://localhost:8000")
    catalog = load_catalog()
    addable = set(adoptable(catalog))
    every = {p for fix, _ in fixes().values() for p in fix}
    assert every and every <= addable and "prediction-log" in every
    report = run_check(root)
    assert {p for f in report.findings for p in f.fix} <= addable  # any file, any rule

    api.add_patterns(root, ["prediction-log"], allow_dirty=True)
    after = fixes()
    assert all("prediction-log" not in fix for fix, _ in after.values())
    fix, message = after["NL001"]
    assert fix == () and "in front of it already: prediction-log, in prediction-gateway/" in message
    assert severity("NL001") == Severity.INFO  # handled in front of the service: it informs
    done = mlsd("check", ".", cwd=root)
    assert "mlsd add prediction-log" not in done.stdout
    assert "data-model-versioning" not in done.stdout  # it needs a service mlsd made


# --- bad input: exit 2, one message, nothing written ---------------------------------------


def _made_by_mlsd(tmp_path: Path) -> Path:
    root = tmp_path / "made"
    api.new_project(root, ["web-single"], use_defaults=True)  # no .git: still recognised
    return root


def _adopted(tmp_path: Path) -> Path:
    root = repository(tmp_path / "adopted")
    api.adopt_repository(root, upstream="http://localhost:8000")
    return root


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (lambda t: t, ["nope"], "does not exist"),
        (lambda t: repository(t / "r"), ["r/app.py"], "not a folder"),
        (lambda t: (t / "plain").mkdir() or t, ["plain"], "not the top folder of a git"),
        (_adopted, ["adopted"], "adopted already"),
        (_made_by_mlsd, ["made"], "made by `mlsd new`"),
        (lambda t: repository(t / "r"), ["r", "--upstream", "ftp://host"], "not an http(s)"),
        (lambda t: repository(t / "r"), ["r", "--upstream", "http://"], "not an http(s)"),
        (lambda t: repository(t / "r"), ["r", "--upstream", "http://h:99999"], "invalid port"),
        (lambda t: repository(t / "r"), ["r", "--upstream", "http://h?q=1"], "not an http(s)"),
        (lambda t: repository(t / "r"), ["r", "--predict-path", "predict"], "not a URL path"),
        (lambda t: repository(t / "r"), ["r", "--dir", "mlsd"], "shadow a Python package"),
        (lambda t: repository(t / "r"), ["r", "--dir", "Bad_Name"], "cannot hold"),
        (lambda t: repository(t / "r"), ["r", "--dir", "app.py"], "cannot hold"),
        (lambda t: repository(t / "r"), ["r", "--name", "class"], "cannot be a project name"),
        (lambda t: repository(t / "r"), ["r", "--sample", "missing.json"], "not a readable JSON"),
        (lambda t: repository(t / "r"), ["r", "--upstream-command", " "], "one non-empty"),
        (lambda t: repository(t / "r"), ["r", "--upstream-command", "flask run"], "has no {port}"),
        (lambda t: repository(t / "r"), ["r", "--upstream-command", "x '{port}"], "not parse"),
        (
            lambda t: repository(t / "r"),
            ["r", "--upstream-command", "run ${{ secrets.A }} {port}"],
            "GitHub Actions would expand",
        ),
        (_adopted, ["adopted", "--upstream-command", "a\nb {port}"], "one non-empty"),
    ],
)
def test_bad_input_is_refused_with_exit_2_and_nothing_written(
    tmp_path: Path, make, args: list[str], message: str
) -> None:
    make(tmp_path)
    if (tmp_path / "r").is_dir() and "--dir" in args:
        (tmp_path / "r" / "existing").mkdir()
    before = snapshot(tmp_path)
    done = mlsd("adopt", *args, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(tmp_path) == before


def test_a_folder_that_exists_cannot_take_mlsds_files(tmp_path: Path) -> None:
    root = repository(tmp_path / "r", {"prediction-gateway/keep.txt": "mine\n"})
    done = mlsd("adopt", "--upstream", "http://localhost:8000", cwd=root)
    assert done.returncode == 2
    assert "has a file or folder of that name" in done.stderr
    assert not (root / ".mlsd").exists()


def test_an_existing_pre_commit_config_gets_the_hook_at_its_indentation(tmp_path: Path) -> None:
    config = "repos:\n- repo: https://github.com/astral-sh/ruff-pre-commit\n  rev: v0.6.0\n"
    root = repository(tmp_path / "r", {".pre-commit-config.yaml": config})
    api.adopt_repository(root)
    text = (root / ".pre-commit-config.yaml").read_text()
    assert text.startswith(config)
    assert "\n- repo: local\n  hooks:\n    - id: mlsd-check\n" in text
    import yaml

    repos = yaml.safe_load(text)["repos"]
    assert [r["repo"] for r in repos] == ["https://github.com/astral-sh/ruff-pre-commit", "local"]


def test_a_conflicted_add_in_an_adopted_repository_is_undone_by_abort(tmp_path: Path) -> None:
    root = repository(tmp_path / "r")
    api.adopt_repository(root, upstream="http://localhost:8000")
    api.add_patterns(root, ["synchronous"], allow_dirty=True)
    readme = root / "prediction-gateway/README.md"
    readme.write_text(readme.read_text() + "## Our notes\nThe gateway runs on port 8080.\n")
    before = snapshot(root)
    result = api.add_patterns(root, ["prediction-cache"], allow_dirty=True)
    assert result.plan.has_conflicts
    assert "<<<<<<<" in readme.read_text()
    status = mlsd("status", cwd=root)
    assert status.returncode == 1 and "prediction-gateway/README.md" in status.stdout
    aborted = mlsd("abort", cwd=root)
    assert aborted.returncode == 0, aborted.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize("length", [10, 85, 150])
def test_the_recorded_command_is_laid_out_as_ruff_formats_it(tmp_path: Path, length: int) -> None:
    """The command holds an absolute interpreter path, as long as the machine makes it: short,
    wrapped in parentheses or too long even then, the line passes `ruff format --check` and
    `ruff check` at the adopted folder's line length."""
    command = "/" + "p" * length + "/bin/python -m flask --app scorer.app run --port {port}"
    source = tmp_path / "conftest.py"
    source.write_text(string_assignment("RECORDED_COMMAND", command) + "\n", encoding="utf-8")
    width = ["--line-length", str(LINE_LENGTH), "--no-cache", "--isolated", str(source)]
    for args in (["format", "--check"], ["check", "--select", "E501"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args, *width],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    namespace: dict[str, str] = {}
    exec(source.read_text(encoding="utf-8"), namespace)
    assert namespace["RECORDED_COMMAND"] == command
