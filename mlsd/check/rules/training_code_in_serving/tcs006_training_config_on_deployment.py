"""TCS006 training-config-on-deployment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context

_TRAINING_ENV = re.compile(
    r"^(WANDB_|COMET_|NEPTUNE_|KAGGLE_|OPTUNA_|TENSORBOARD_|MLFLOW_EXPERIMENT|DVC_)", re.I
)
_TRAINING_REF = re.compile(
    r"(^|[-_.])(train|training|dataset|datasets|warehouse|dwh|labeling)([-_.]|$)", re.I
)


def _refs(container: dict[str, Any]) -> list[str]:
    """Names of env vars, secrets, config maps the container uses."""
    out: list[str] = []
    for env in container.get("env") or []:
        if isinstance(env, dict):
            out.append(str(env.get("name", "")))
            src = env.get("valueFrom") or {}
            for key in ("secretKeyRef", "configMapKeyRef"):
                if isinstance(src, dict) and isinstance(src.get(key), dict):
                    out.append(str(src[key].get("name", "")))
    for ef in container.get("envFrom") or []:
        if isinstance(ef, dict):
            for key in ("secretRef", "configMapRef"):
                if isinstance(ef.get(key), dict):
                    out.append(str(ef[key].get("name", "")))
    return out


class TrainingConfigOnDeployment(Rule):
    """
    ## What it does
    Fires when an online Deployment (a workload with ports or probes) carries training
    configuration: experiment-tracker credentials (`WANDB_*`, `COMET_*`, `NEPTUNE_*`),
    secrets or config maps named after training, datasets or the warehouse, or a volume
    claim for training data.

    ## Why is this bad?
    A serving pod that holds training data credentials can read far more than it needs; a
    leak or a bug in the server exposes the training data, and it hints that training code
    runs in the server.

    ## Example
    ```yaml
    env:
      - name: WANDB_API_KEY
        valueFrom: {secretKeyRef: {name: training-secrets, key: wandb}}
    ```

    ## How to fix
    Give the training Job its own service account and secrets; the serving Deployment gets
    only what prediction needs (`mlsd add pipeline-training`).
    """

    code = "TCS006"
    name = "training-config-on-deployment"
    family = "training-code-in-serving"
    severity = Severity.WARNING
    summary = "A serving Deployment carries training credentials or training data."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for obj in components_of(ctx).online_workloads:
            hits: list[str] = []
            for c in obj.containers():
                for name in _refs(c):
                    if _TRAINING_ENV.match(name) or _TRAINING_REF.search(name):
                        hits.append(name)
            for vol in obj.pod_spec().get("volumes") or []:
                claim = ((vol or {}).get("persistentVolumeClaim") or {}).get("claimName", "")
                if claim and _TRAINING_REF.search(str(claim)):
                    hits.append(str(claim))
            for name in dict.fromkeys(hits):
                yield self.finding(
                    obj.path,
                    ctx.line_of(obj.path, name, obj.line, obj.line),
                    f"serving workload '{obj.name}' uses training configuration '{name}'",
                    evidence=f"{obj.name} {name}",
                )
