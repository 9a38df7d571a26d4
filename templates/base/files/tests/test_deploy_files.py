"""Deploy files: Dockerfile lint, Compose schema, Kubernetes manifests, CI workflow, no :latest."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.support import ROOT, pip_tool, require_binary

K8S_VERSION = "1.30.0"
OVERLAYS = sorted(p.parent for p in (ROOT / "deploy/k8s/overlays").glob("*/kustomization.yaml"))
# Objects of CRDs (e.g. KEDA's ScaledObject) are checked against the schemas in
# deploy/k8s/schemas/<group>_<version>_<kind>.json; kubernetes-validate knows only built-in kinds.
CRD_SCHEMAS = ROOT / "deploy/k8s/schemas"
TEXT_SUFFIXES = {".yaml", ".yml", ".toml", ".md", ".py", ".json", ".cfg", ".txt", ""}


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_dockerfiles_pass_hadolint() -> None:
    dockerfiles = sorted(ROOT.glob("Dockerfile.*"))
    hadolint = pip_tool("hadolint")
    for dockerfile in dockerfiles:
        result = _run([hadolint, "--config", ".hadolint.yaml", dockerfile.name])
        assert result.returncode == 0, f"{dockerfile.name}:\n{result.stdout}{result.stderr}"


def test_dockerfiles_follow_the_house_rules() -> None:
    for dockerfile in sorted(ROOT.glob("Dockerfile.*")):
        text = dockerfile.read_text()
        assert text.count("FROM ") >= 2, f"{dockerfile.name} is not multi-stage"
        assert re.search(r"^USER \d+", text, re.M), f"{dockerfile.name} runs as root"
        assert "training" not in dockerfile.name or "serving" not in text
        if "EXPOSE" in text:
            assert "HEALTHCHECK" in text, f"{dockerfile.name} has no HEALTHCHECK"
    serving = ROOT / "Dockerfile.serving"
    if serving.exists():
        install = [line for line in serving.read_text().splitlines() if "pip install" in line]
        assert install and all("[serving]" in line for line in install), install


def test_compose_matches_the_compose_spec() -> None:
    result = _run(
        [pip_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml"]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_workflow_matches_the_github_schema() -> None:
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert workflows
    cmd = [pip_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    result = _run(cmd + [str(p.relative_to(ROOT)) for p in workflows])
    assert result.returncode == 0, result.stdout + result.stderr


def _kustomize(path: Path) -> list[dict]:
    kubectl = require_binary("kubectl", "apt-get install kubectl")
    result = _run([kubectl, "kustomize", str(path.relative_to(ROOT))])
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.mark.parametrize(
    "path",
    [ROOT / "deploy/k8s/base", *OVERLAYS],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_kustomization_renders_valid_objects(path: Path) -> None:
    objects = _kustomize(path)
    assert objects, f"{path} renders nothing"
    for obj in objects:
        name = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
        schema = CRD_SCHEMAS / "{}_{}.json".format(
            obj["apiVersion"].replace("/", "_"), obj["kind"].lower()
        )
        try:
            if "." in obj["apiVersion"].split("/")[0] and schema.exists():
                jsonschema.validate(obj, json.loads(schema.read_text()))
            else:
                kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
        except (kubernetes_validate.ValidationError, jsonschema.ValidationError) as exc:
            pytest.fail(f"{path.name}: {name} is invalid: {exc.message}")


def _pod_specs(obj: dict) -> list[dict]:
    kind = obj["kind"]
    if kind in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
        return [obj["spec"]["template"]["spec"]]
    if kind == "CronJob":
        return [obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]]
    return []


@pytest.mark.parametrize("path", OVERLAYS, ids=lambda p: p.name)
def test_workloads_are_hardened_and_pinned(path: Path) -> None:
    for obj in _kustomize(path):
        for pod in _pod_specs(obj):
            name = obj["metadata"]["name"]
            assert pod["securityContext"]["runAsNonRoot"] is True, name
            for container in pod.get("initContainers", []) + pod["containers"]:
                image = container["image"]
                assert ":" in image and not image.endswith(":latest"), (name, image)
                security = container["securityContext"]
                assert security["allowPrivilegeEscalation"] is False, name
                assert security["capabilities"]["drop"] == ["ALL"], name
                assert "limits" in container["resources"], name
                assert "requests" in container["resources"], name
                if obj["kind"] == "Deployment" and container.get("ports"):
                    assert "readinessProbe" in container, name
                    assert "livenessProbe" in container, name


def test_overlays_differ_where_they_should() -> None:
    names = {p.name for p in OVERLAYS}
    assert {"dev", "prod"} <= names
    overlays = ROOT / "deploy/k8s/overlays"
    dev = {(o["kind"], o["metadata"]["name"]): o for o in _kustomize(overlays / "dev")}
    prod = {(o["kind"], o["metadata"]["name"]): o for o in _kustomize(overlays / "prod")}
    for key, obj in prod.items():
        if key[0] == "Deployment":
            assert obj["spec"]["replicas"] >= dev[key]["spec"]["replicas"]


def test_no_latest_tag_anywhere() -> None:
    pattern = re.compile(r"(image:\s*\S+:latest\b|FROM\s+\S+:latest\b|FROM\s+[^\s:@]+\s*$)", re.M)
    skip = {".git", ".local", "models", ".mlsd", "__pycache__", ".pytest_cache", ".ruff_cache"}
    for path in ROOT.rglob("*"):
        if not path.is_file() or skip & set(path.relative_to(ROOT).parts):
            continue
        if path.suffix not in TEXT_SUFFIXES and not path.name.startswith("Dockerfile"):
            continue
        if path.name == Path(__file__).name:
            continue
        text = path.read_text(errors="replace")
        match = pattern.search(text)
        assert match is None, f"{path.relative_to(ROOT)}: unpinned image {match.group(0)!r}"
