"""The prod overlay gives the Secret `<project>-backing` to every workload that reads the
shared ConfigMap: Deployments by kind, Jobs and CronJobs by name (`mlsd.workloads`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mlsd.api import resolve_selection
from mlsd.catalog import load_catalog
from mlsd.render import Project, render_tree
from mlsd.workloads import config_readers

JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: reads}
spec:
  template:
    spec:
      containers:
        - name: a
          envFrom: [{configMapRef: {name: demo-config}}]
"""
CRON = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: a
              envFrom: [{configMapRef: {name: other}}, {configMapRef: {name: demo-config}}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: no-env-from}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: a}]
"""


def test_finds_the_jobs_and_cronjobs_that_read_the_config_map() -> None:
    tree = {
        "deploy/k8s/base/job.yaml": JOB.encode(),
        "deploy/k8s/base/cron.yaml": CRON.encode(),
        "deploy/k8s/base/kustomization.yaml": b"resources: [job.yaml]\n",
        "deploy/k8s/overlays/dev/seed.yaml": JOB.replace("reads", "dev-only").encode(),
        "src/demo/x.yaml": JOB.encode(),
    }
    assert config_readers(tree, "demo-config") == [
        {
            "kind": "CronJob",
            "name": "nightly",
            "path": "/spec/jobTemplate/spec/template/spec/containers/0/envFrom/-",
        },
        {"kind": "Job", "name": "reads", "path": "/spec/template/spec/containers/0/envFrom/-"},
    ]
    assert config_readers(tree, "nobody-config") == []


def _pod_spec(obj: dict) -> dict | None:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    if obj["kind"] in ("Job", "Deployment"):
        return obj["spec"]["template"]["spec"]
    return None


def test_the_built_prod_overlay_gives_every_config_reader_the_backing_secret(
    tmp_path: Path,
) -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is needed to build the overlay")
    catalog = load_catalog()
    patterns = ["asynchronous", "batch", "prediction-monitoring", "batch-training"]
    resolution = resolve_selection(patterns, use_defaults=True, catalog=catalog)
    for rel, data in render_tree(catalog, resolution, Project(name="demo")).items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    built = subprocess.run(
        [kubectl, "kustomize", str(tmp_path / "deploy/k8s/overlays/prod")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    readers = {}
    for obj in (o for o in yaml.safe_load_all(built.stdout) if o):
        pod = _pod_spec(obj)
        if pod is None:
            continue
        env_from = pod["containers"][0].get("envFrom") or []
        if {"configMapRef": {"name": "demo-config"}} in env_from:
            readers[(obj["kind"], obj["metadata"]["name"])] = env_from
    assert {kind for kind, _ in readers} == {"Deployment", "Job", "CronJob"}
    for workload, env_from in readers.items():
        assert env_from[-1] == {"secretRef": {"name": "demo-backing"}}, workload
