"""TCS003 training-call-in-serving."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.training import training_calls, trains_when_run


class TrainingCallInServing(Rule):
    """
    ## What it does
    Fires on training calls reachable from a serving unit: `.fit(`, `fit_transform`, search-CV
    classes, `train_test_split`, `optimizer.step()`, `loss.backward()`, `Trainer(`,
    `mlflow.start_run`, `wandb.init`, `optuna.create_study`, in the app module or in any
    in-repo module it imports. `partial_fit` (online learning) is allowed, and so are
    methods of classes in imported modules (model class definitions needed at inference),
    unless that module is itself a training script (its `__main__` block trains).

    ## Why is this bad?
    Fitting at request time or on start-up makes the server slow, non-deterministic and
    impossible to reproduce: the model that answers is not the one that was evaluated.

    ## Example
    ```python
    model = LogisticRegression().fit(X, y)   # at import of the app
    app = FastAPI()
    ```

    ## How to fix
    Train in a job, save a versioned artefact, and only load it in serving
    (`mlsd add pipeline-training`).
    """

    code = "TCS003"
    name = "training-call-in-serving"
    family = "training-code-in-serving"
    severity = Severity.ERROR
    summary = "Training calls are reachable from serving code."

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[str, int]] = set()
        for unit in components_of(ctx).serving:
            for mod in unit.modules(ctx):
                entry = mod.path in unit.entries
                script = entry or trains_when_run(mod)
                for call in training_calls(mod):
                    if not script and call.cls is not None:
                        continue  # a model class definition imported for inference
                    if (mod.path, call.line) in seen:
                        continue
                    seen.add((mod.path, call.line))
                    via = "" if entry else f" (reached by {unit.chain(mod.path)})"
                    yield self.finding(
                        mod.path,
                        call.line,
                        f"training call `{call.name}(...)` in serving unit {unit.label}{via}",
                        column=call.col + 1,
                    )
