"""OM007 no-shared-environment."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, training_notebooks
from mlsd.check.context import Context


class NoSharedEnvironment(Rule):
    """
    ## What it does
    Fires when the repository trains a model but offers no shared environment to train in:
    no Dockerfile / Containerfile, no dev container, no conda environment file, no
    compose file, and no CI that could run training.

    ## Why is this bad?
    Training only works on the author's laptop with whatever happens to be installed there;
    results differ from machine to machine.

    ## Example
    ```text
    train.py   requirements.txt   # no Dockerfile, no environment.yml, no CI
    ```

    ## How to fix
    Add a training image (`Dockerfile.training`) or a dev container, and run training as a
    job (`mlsd add batch-training`).
    """

    code = "OM007"
    name = "no-shared-environment"
    family = "only-me"
    severity = Severity.INFO
    summary = "Training code but no container or shared environment to run it."

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        if not (comps.training_modules or training_notebooks(ctx)):
            return
        if ctx.dockerfiles or ctx.compose_files or comps.jobs:
            return
        if ctx.glob(".devcontainer/*", "environment.y*ml", "conda.y*ml", ".github/workflows/*"):
            return
        target = (comps.training_modules or training_notebooks(ctx))[0]
        yield self.finding(
            target,
            1,
            "training code but no container or shared environment",
            evidence="no-shared-env",
        )
