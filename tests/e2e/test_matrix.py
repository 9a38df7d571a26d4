"""The matrix: every available pattern alone, every fully available preset and a few
interaction sets (INTERACTIONS), rendered and proven: clean files, valid deploy manifests,
and the generated project's own tests green.

The list comes from the catalog, so a pattern that becomes available is tested here without
editing this file. Combinations that resolve to the same set are rendered once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from mlsd import api
from mlsd.catalog import load_catalog
from mlsd.errors import MlsdError

pytestmark = pytest.mark.slow


# Sets whose patterns meet on one path (no single pattern or preset renders these code paths;
# the fuzz draws them only now and then): the lifecycle with pipeline-training's Argo release
# step, edge's released export and the workers that follow releases; batch and the heavy stage
# with the released version, the batch hooks and Locust tasks for every public endpoint.
INTERACTIONS = (
    ("pipeline-training", "training-to-serving", "edge-prediction", "asynchronous"),
    (
        "train-then-serve",
        "batch",
        "multiple-stage-prediction",
        "data-cache",
        "loading-test",
        "parameter-based-serving",
    ),
)


def _combinations() -> dict[tuple[str, ...], str]:
    """Resolved set -> a readable label, for each available pattern, preset and interaction set."""
    catalog = load_catalog()
    found: dict[tuple[str, ...], str] = {}
    requests = [([e.id], []) for e in catalog.patterns if e.available]
    requests += [([], [p]) for p in catalog.presets]
    requests += [(list(s), []) for s in INTERACTIONS]
    for patterns, presets in requests:
        try:
            resolution = api.resolve_selection(patterns, presets, use_defaults=True)
        except MlsdError:
            continue  # a preset that still needs a planned pattern
        found.setdefault(resolution.patterns, "+".join(patterns or presets))
    return found


COMBINATIONS = _combinations()
LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|%\}|__package__")


@pytest.fixture(scope="module", params=sorted(COMBINATIONS), ids=lambda s: "+".join(s))
def project(request, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("matrix") / "demo-app"
    api.new_project(target, list(request.param))
    return target


def suite_env() -> dict[str, str]:
    """The environment of a generated project's own suite: none of this session's PYTEST_
    variables, and no plugin autoloading (mlsd's dev environment has hypothesis, xdist,
    pytest-benchmark...: the generated suites use none, and loading them costs 2 s a run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


def run(cmd: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=suite_env()
    )


def files(root: Path, *suffixes: str) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and ".mlsd" not in p.parts and p.name.endswith(suffixes)
    )


def test_no_leftover_template_markers(project):
    for path in files(project, ""):
        text = path.read_text(encoding="utf-8", errors="replace")
        match = LEFTOVER.search(text)
        assert match is None, f"{path.relative_to(project)}: leftover {match.group(0)!r}"


def test_yaml_toml_json_parse(project):
    for path in files(project, ".yaml", ".yml"):
        list(yaml.safe_load_all(path.read_text()))
    for path in files(project, ".toml"):
        tomllib.loads(path.read_text())
    for path in files(project, ".json"):
        json.loads(path.read_text())


def test_ruff_clean(project):
    for cmd in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        out = run([sys.executable, "-m", *cmd], project)
        assert out.returncode == 0, out.stdout + out.stderr


def test_compose_and_workflow_validate(project):
    checks = [("vendor.compose-spec", project / "compose.yaml")]
    checks += [("vendor.github-workflows", p) for p in files(project / ".github", ".yml")]
    for schema, path in checks:
        out = run(["check-jsonschema", "--builtin-schema", schema, str(path)], project)
        assert out.returncode == 0, out.stdout + out.stderr


def test_dockerfiles_pass_hadolint(project):
    dockerfiles = sorted(project.glob("Dockerfile*"))
    assert dockerfiles, "no Dockerfile rendered"
    for path in dockerfiles:
        out = run(["hadolint", str(path)], project)
        assert out.returncode == 0, f"{path.name}: {out.stdout}{out.stderr}"


def test_kubernetes_objects_validate_offline(project):

    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed to render kustomize overlays"
    overlays = [project / "deploy/k8s/base", *sorted((project / "deploy/k8s/overlays").iterdir())]
    for overlay in overlays:
        out = run([kubectl, "kustomize", str(overlay)], project)
        assert out.returncode == 0, out.stderr
        objects = [o for o in yaml.safe_load_all(out.stdout) if o]
        assert objects, f"{overlay} renders no object"
        for obj in objects:
            validate_k8s_object(project, obj)
            images = re.findall(r"image: (\S+)", yaml.safe_dump(obj))
            assert not [i for i in images if i.endswith(":latest") or ":" not in i], images


def validate_k8s_object(project: Path, obj: dict) -> None:
    """Built-in kinds against Kubernetes' schemas; CRDs (KEDA) against the project's own."""
    import jsonschema
    import kubernetes_validate

    schema = (
        project
        / "deploy/k8s/schemas"
        / "{}_{}.json".format(obj["apiVersion"].replace("/", "_"), obj["kind"].lower())
    )
    if schema.exists():
        jsonschema.validate(obj, json.loads(schema.read_text()))
    else:
        kubernetes_validate.validate(obj, "1.30.0", strict=True)


def test_generated_project_own_tests_pass(project, tmp_path):
    # In a copy: the suite writes (models, logs, __pycache__), and the other checks of this
    # project may run after it (in any order under xdist) and must see it as rendered.
    work = shutil.copytree(project, tmp_path / project.name)
    out = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], work, 1500)
    tail = (out.stdout + out.stderr)[-6000:]
    assert out.returncode == 0, tail
    assert " passed" in out.stdout and " skipped" not in out.stdout, tail


def test_mlsd_check_finds_no_antipattern(project):
    from mlsd.check.api import run_check

    report = run_check(project)
    findings = [f"{f.code} {f.path}:{f.line} {f.message}" for f in report.findings]
    assert findings == []
    assert report.skipped == []
