"""TCS001 training-package-in-serving-deps."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.facts import serving_requirements


class TrainingPackageInServingDeps(Rule):
    """
    ## What it does
    Fires when the requirements installed into a serving unit (the files or pyproject extras
    its Dockerfile installs, or a serving requirements file / `serving` extra) contain
    training-only packages: optuna, hyperopt, ray tune, wandb, tensorboard, jupyter,
    ipykernel, kfp, airflow, dvc, great_expectations, plotting libraries.

    ## Why is this bad?
    Training packages make the serving image large and slow to start, widen its attack
    surface and couple releases of the server to the experiment stack.

    ## Example
    ```text
    # requirements-serving.txt
    fastapi==0.111.0
    optuna==3.6.1
    ```

    ## How to fix
    Split dependencies by role (`[project.optional-dependencies]` serving / training) and
    install only the serving set in the serving image. `mlsd add pipeline-training` keeps
    training in its own job and image.
    """

    code = "TCS001"
    name = "training-package-in-serving-deps"
    family = "training-code-in-serving"
    severity = Severity.ERROR
    summary = "Training-only packages are installed into a serving unit."

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[str, int]] = set()
        for unit in components_of(ctx).serving:
            for req in serving_requirements(ctx, unit):
                key = (req.path, req.line)
                if req.name in vocab.TRAINING_ONLY_PACKAGES and key not in seen:
                    seen.add(key)
                    where = f" (extra '{req.group}')" if req.group else ""
                    yield self.finding(
                        req.path,
                        req.line,
                        f"training-only package '{req.name}'{where} is installed into "
                        f"serving unit {unit.label}",
                    )
