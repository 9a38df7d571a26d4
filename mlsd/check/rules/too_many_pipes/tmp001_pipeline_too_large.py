"""TMP001 pipeline-too-large."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context
from mlsd.check.pipelines import pipelines


class PipelineTooLarge(Rule):
    """
    ## What it does
    Fires on a pipeline definition (Airflow DAG, Kubeflow / Prefect / Dagster / Metaflow
    tasks, Argo workflow, `dvc.yaml`) with more nodes than `thresholds.pipeline-max-nodes`
    (default 30) or a node with more inputs than `thresholds.pipeline-max-fan-in`
    (default 8).

    ## Why is this bad?
    Large, tangled graphs are hard to test, slow to rerun and fail in ways nobody can
    trace; one broken edge stops every model downstream.

    ## Example
    ```python
    [extract_a, extract_b, ..., extract_k] >> join >> train   # 11 inputs into one node
    ```

    ## How to fix
    Split the graph into smaller pipelines with clear, versioned hand-offs (tables, model
    registry), one per model (`mlsd add pipeline-training`).
    """

    code = "TMP001"
    name = "pipeline-too-large"
    family = "too-many-pipes"
    severity = Severity.WARNING
    summary = "A pipeline graph is too large or has too much fan-in."

    def check(self, ctx: Context) -> Iterator[Finding]:
        max_nodes = ctx.threshold("pipeline-max-nodes")
        max_fan = ctx.threshold("pipeline-max-fan-in")
        for p in pipelines(ctx):
            problems = []
            if p.nodes > max_nodes:
                problems.append(f"{p.nodes} nodes (limit {max_nodes})")
            if p.max_fan_in > max_fan:
                problems.append(f"fan-in {p.max_fan_in} (limit {max_fan})")
            if problems:
                yield self.finding(
                    p.path,
                    p.line,
                    f"{p.orchestrator} pipeline has {' and '.join(problems)}",
                    evidence=f"pipeline {p.orchestrator}",
                )
