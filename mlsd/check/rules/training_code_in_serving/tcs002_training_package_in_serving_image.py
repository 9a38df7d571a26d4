"""TCS002 training-package-in-serving-image."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.facts import direct_packages, final_installs


class TrainingPackageInServingImage(Rule):
    """
    ## What it does
    Fires when a serving Dockerfile installs a training-only package by name
    (`RUN pip install optuna ...`) in its final stage, or in a stage whose environment the
    final stage copies. Builder stages that only produce the model are not looked at.

    ## Why is this bad?
    The package ships with every replica of the online server: a bigger image, slower
    cold starts and scale-ups, and more CVEs to patch, for code that never runs there.

    ## Example
    ```dockerfile
    FROM python:3.11-slim
    RUN pip install fastapi uvicorn jupyter tensorboard
    CMD ["uvicorn", "app:app"]
    ```

    ## How to fix
    Install training tools only in the training image or a builder stage that produces the
    model; copy only the model into the final stage (`mlsd add pipeline-training`).
    """

    code = "TCS002"
    name = "training-package-in-serving-image"
    family = "training-code-in-serving"
    severity = Severity.ERROR
    summary = "A serving image installs training-only packages."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for unit in components_of(ctx).serving_dockerfiles:
            assert unit.dockerfile is not None
            for inst in final_installs(unit.dockerfile):
                if inst.kind != "package":
                    continue
                req = direct_packages(inst)
                if req and req.name in vocab.TRAINING_ONLY_PACKAGES:
                    yield self.finding(
                        inst.dockerfile,
                        inst.line,
                        f"serving image installs training-only package '{req.name}'",
                        evidence=f"{req.name}",
                    )
