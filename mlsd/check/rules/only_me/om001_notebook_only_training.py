"""OM001 notebook-only-training."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import training_calls
from mlsd.check.context import Context


class NotebookOnlyTraining(Rule):
    """
    ## What it does
    Fires when the model is trained only in notebooks: notebook code cells call training
    APIs, and there is no training script, Dockerfile, Job or pipeline definition. Notebooks
    next to a real training entry point are fine.

    ## Why is this bad?
    A notebook's result depends on the order its cells were run and on the author's kernel;
    nobody else can retrain the model the same way.

    ## Example
    ```text
    notebooks/train.ipynb    # model.fit(...) in cell 7; no train.py anywhere
    ```

    ## How to fix
    Move training into a script or pipeline step with a command-line entry point
    (`mlsd add batch-training` or `mlsd add pipeline-training`).
    """

    code = "OM001"
    name = "notebook-only-training"
    family = "only-me"
    severity = Severity.WARNING
    summary = "Training happens only in notebooks."

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = ctx.components
        if not comps.training_notebooks or comps.training:
            return
        for rel in comps.training_notebooks:
            mod = ctx.notebooks[rel]
            call = training_calls(mod)[0]
            yield self.finding(
                rel,
                call.line,
                f"training only in a notebook{mod.where(call.line)}: no script or pipeline "
                "entry point",
            )
