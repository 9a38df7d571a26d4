"""OM001 notebook-only-training."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, training_notebooks
from mlsd.check.context import Context
from mlsd.check.models import model_saves
from mlsd.check.training import training_calls


class NotebookOnlyTraining(Rule):
    """
    ## What it does
    Fires when the model is trained only in notebooks: notebook code cells call training
    APIs, and there is no training script, Dockerfile, Job or pipeline definition. Also when
    training code exists but only notebooks save the model (`joblib.dump(clf, ...)` in a
    cell, no script saves one or runs a framework trainer): the model that ships is made by
    a notebook. Notebooks next to a real training entry point are fine.

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
        comps = components_of(ctx)
        if not training_notebooks(ctx):
            return
        if comps.training:
            yield from self._saved_only_by_notebooks(ctx, training_notebooks(ctx))
            return
        for rel in training_notebooks(ctx):
            mod = ctx.notebooks[rel]
            call = training_calls(mod)[0]
            yield self.finding(
                rel,
                call.line,
                f"training only in a notebook{mod.where(call.line)}: no script or pipeline "
                "entry point",
            )

    def _saved_only_by_notebooks(self, ctx: Context, notebooks: list[str]) -> Iterator[Finding]:
        if ctx.named("dvc.yaml", "MLproject") or any(
            model_saves(m) or _TRAINER.search(m.text) for m in ctx.source_modules()
        ):
            return  # a script or pipeline makes (or can make) the model
        for rel in notebooks:
            mod = ctx.notebooks[rel]
            saves = model_saves(mod)
            if saves:
                yield self.finding(
                    rel,
                    saves[0].line,
                    f"model saved only by a notebook{mod.where(saves[0].line)}: no script or "
                    "pipeline entry point reproduces it",
                )


#: framework trainers that write checkpoints themselves
_TRAINER = re.compile(r"\b(?:Trainer|SFTTrainer|ModelCheckpoint)\(|\.save_model\(")
