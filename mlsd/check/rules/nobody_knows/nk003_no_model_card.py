"""NK003 no-model-card."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, model_serving, training_notebooks
from mlsd.check.context import Context
from mlsd.check.facts import model_cards


class NoModelCard(Rule):
    """
    ## What it does
    Fires when the repository trains or serves a model but has no model card
    (`MODEL_CARD.md`, `model_card.md`, `modelcard*`) and no "Model card" section in the
    README.

    ## Why is this bad?
    Nobody can say what the model is for, what it must not be used for, what data it saw or
    how well it did; reviews and audits have nothing to read.

    ## Example
    ```text
    repo/
      train.py  serve.py  README.md   # no MODEL_CARD.md
    ```

    ## How to fix
    Add `MODEL_CARD.md` (intended use, data, metrics, limits, owners) next to the code, and
    version it with the model (pattern `data-model-versioning`, planned).
    """

    code = "NK003"
    name = "no-model-card"
    family = "nobody-knows"
    severity = Severity.INFO
    summary = "A model is trained or served but there is no model card."

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        has_model = model_serving(ctx) or comps.training_modules or training_notebooks(ctx)
        if not has_model or model_cards(ctx):
            return
        readme = ctx.readme
        if readme and re.search(r"^#+\s*model card", ctx.text(readme) or "", re.I | re.M):
            return
        yield self.finding(
            ctx.repo_anchor(),
            1,
            "no model card (MODEL_CARD.md) for the model",
            evidence="no-model-card",
        )
