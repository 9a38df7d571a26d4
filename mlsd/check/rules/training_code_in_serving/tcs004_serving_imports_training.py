"""TCS004 serving-imports-training."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.training import training_calls

_TRAINING_PATH = re.compile(
    r"(^|/)(train|training|trainer|experiments?|notebooks?|research|tuning|hpo)(/|\.py$|_)"
)


class ServingImportsTraining(Rule):
    """
    ## What it does
    Fires on an import, in a serving unit's code path, of the repository's own training,
    experiment or notebook modules, when that module trains (training calls outside class
    definitions) or pulls in training-only packages. Importing a module that only defines
    the model class is fine.

    ## Why is this bad?
    The serving image then needs the training stack, and a change to training code can break
    (or silently change) the online service.

    ## Example
    ```python
    # serving/app.py
    from myproj.training.pipeline import preprocess   # drags optuna and wandb along
    ```

    ## How to fix
    Move shared code (preprocessing, the model class) into a package both sides import, and
    keep training modules out of the serving path (`mlsd add pipeline-training`).
    """

    code = "TCS004"
    name = "serving-imports-training"
    family = "training-code-in-serving"
    severity = Severity.WARNING
    summary = "Serving code imports the repository's training modules."

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[str, int]] = set()
        for unit in components_of(ctx).serving:
            for rel, parent in unit.closure.items():
                if parent is None or not _TRAINING_PATH.search(rel.lower()):
                    continue
                mod = ctx.modules[rel]
                trains = any(c.cls is None for c in training_calls(mod))
                if not (trains or mod.imports_any(vocab.TRAINING_ONLY_IMPORTS)):
                    continue
                importer, line = parent
                if (importer, line) in seen:
                    continue
                seen.add((importer, line))
                yield self.finding(
                    importer,
                    line,
                    f"serving code imports training module {rel} (in {unit.label})",
                )
