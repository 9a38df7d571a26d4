"""train-then-serve in Kubernetes: the manual release is a one-off Job, outside the kustomization.

`make release-k8s VERSION=...` prints `deploy/k8s/jobs/release.yaml` with the version set (by
`kubectl set env --local`, offline); the Job it prints is validated against the Kubernetes
schemas (kubernetes-validate), and its container command is run here for real against a
registry made by the pipeline, the registry volume being a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.support.processes import ROOT, process_env
from tests.support.releases import released
from tests.support.servers import require_binary

JOB = ROOT / "deploy/k8s/jobs/release.yaml"
K8S_VERSION = "1.30.0"


def _make_release_k8s(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_binary("make", "apt-get install make"), "-s", "release-k8s", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _job(version: str) -> dict[str, Any]:
    require_binary("kubectl", "apt-get install kubectl")
    printed = _make_release_k8s(f"VERSION={version}")
    assert printed.returncode == 0, printed.stderr
    return yaml.safe_load(printed.stdout)


def _run_job_command(job: dict[str, Any], registry: Path) -> subprocess.CompletedProcess[str]:
    """The Job's container command as Kubernetes expands it, run with the registry mounted."""
    (container,) = job["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item["value"] for item in container["env"]}
    command = [
        part.replace("$(RELEASE_VERSION)", env["RELEASE_VERSION"]) for part in container["command"]
    ]
    assert command[0] == "python", command
    return subprocess.run(
        [sys.executable, *command[1:]],
        cwd=ROOT,
        env=process_env({"MODEL_REGISTRY_DIR": str(registry)}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_make_release_k8s_prints_a_valid_hardened_job_for_the_version() -> None:
    job = _job("1.0.0-abc")
    # kubectl adds empty bookkeeping fields; the rest must be a valid Job
    job.pop("status", None)
    job["metadata"].pop("creationTimestamp", None)
    job["spec"]["template"]["metadata"].pop("creationTimestamp", None)
    kubernetes_validate.validate(job, K8S_VERSION, strict=True)
    assert job["kind"] == "Job" and job["metadata"]["generateName"] == "release-"
    pod = job["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    (container,) = pod["containers"]
    assert {"name": "RELEASE_VERSION", "value": "1.0.0-abc"} in container["env"]
    assert container["command"][-2:] == ["promote", "$(RELEASE_VERSION)"]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert {"name": "registry", "mountPath": "/registry"} in container["volumeMounts"]
    claims = [
        v["persistentVolumeClaim"]["claimName"]
        for v in pod["volumes"]
        if "persistentVolumeClaim" in v
    ]
    assert claims == ["model-registry"]
    configs = [ref["configMapRef"]["name"] for ref in container["envFrom"]]
    assert "training-config" in configs  # MODEL_REGISTRY_DIR=/registry, MIN_ACCURACY


def test_make_release_k8s_without_a_version_says_how_and_exits_2() -> None:
    result = _make_release_k8s()
    assert result.returncode == 2
    assert "usage: make -s release-k8s VERSION=" in result.stderr
    assert result.stdout == ""


def _commands(doc: dict[str, Any]) -> list[list[str]]:
    """The container commands of a Job or a CronJob."""
    spec = doc.get("spec", {})
    if doc.get("kind") == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    containers = spec.get("template", {}).get("spec", {}).get("containers", [])
    return [list(c.get("command", [])) + list(c.get("args", [])) for c in containers]


@pytest.mark.parametrize(
    "kustomization", ["deploy/k8s/base", "deploy/k8s/overlays/dev", "deploy/k8s/overlays/prod"]
)
def test_the_release_job_is_not_in_the_kustomization(kustomization: str) -> None:
    rendered = subprocess.run(
        [require_binary("kubectl", "apt-get install kubectl"), "kustomize", kustomization],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    promoting = [
        doc["metadata"]["name"]
        for doc in yaml.safe_load_all(rendered.stdout)
        if doc and doc.get("kind") in ("Job", "CronJob")
        for command in _commands(doc)
        if "promote" in command
    ]
    assert promoting == []  # applying the overlays never releases by hand
    assert JOB.is_file()
    assert _commands(yaml.safe_load(JOB.read_text(encoding="utf-8")))[0][-2] == "promote"


def test_the_job_releases_a_registered_version_and_refuses_another(
    pipeline_registry: Path, tmp_path: Path
) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(pipeline_registry, registry)
    version = (registry / "iris" / "LATEST").read_text(encoding="utf-8").strip()
    before = released(registry)
    unknown = _run_job_command(_job("9.9.9-unknown"), registry)
    assert unknown.returncode == 1, unknown.stdout + unknown.stderr
    assert "release refused" in unknown.stderr
    assert released(registry) == before  # a refused release changes nothing
    done = _run_job_command(_job(version), registry)
    assert done.returncode == 0, done.stdout + done.stderr
    assert released(registry) == version
