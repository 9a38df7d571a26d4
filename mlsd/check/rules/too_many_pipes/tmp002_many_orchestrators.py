"""TMP002 many-orchestrators."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context
from mlsd.check.pipelines import pipelines


class ManyOrchestrators(Rule):
    """
    ## What it does
    Fires when one repository defines pipelines for more than one orchestrator (Airflow,
    Kubeflow Pipelines, Argo, Prefect, Dagster, Metaflow, Luigi, ZenML, Flyte, DVC
    pipelines, MLflow Projects).

    ## Why is this bad?
    Each orchestrator has its own scheduler, retries, logs and credentials; work is split
    across systems nobody fully understands, and hand-offs between them break silently.

    ## Example
    ```text
    dags/etl.py (Airflow) + pipelines/train.py (Kubeflow) + dvc.yaml
    ```

    ## How to fix
    Pick one orchestrator for the system and migrate the rest
    (`mlsd add pipeline-training`).
    """

    code = "TMP002"
    name = "many-orchestrators"
    family = "too-many-pipes"
    severity = Severity.WARNING
    summary = "More than one pipeline orchestrator in one repository."

    def check(self, ctx: Context) -> Iterator[Finding]:
        first: dict[str, str] = {}
        for p in sorted(pipelines(ctx), key=lambda p: p.path):
            first.setdefault(p.orchestrator, p.path)
        if len(first) < 2:
            return
        listing = ", ".join(f"{k} ({v})" for k, v in sorted(first.items()))
        path = sorted(first.values())[0]
        yield self.finding(
            path,
            1,
            f"{len(first)} orchestrators in one repository: {listing}",
            evidence="orchestrators " + " ".join(sorted(first)),
        )
