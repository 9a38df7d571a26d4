"""AIO001 many-models-in-one-server."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.models import model_key, model_loads


class ManyModelsLoaded(Rule):
    """
    ## What it does
    Fires when one serving unit loads two or more distinct model artefacts (joblib/pickle,
    torch, keras/TF, ONNX Runtime sessions, XGBoost/LightGBM/CatBoost, transformers
    `from_pretrained`, MLflow `load_model`). Not models: tokenizers, vocabularies, scalers,
    encoders, label files. Files that differ only by a number (ensemble members, folds)
    count as one logical model; so does one load whose path comes from configuration.

    ## Why is this bad?
    Models with different owners, release cycles and resource needs are deployed, scaled and
    rolled back together; one bad model takes the others down.

    ## Example
    ```python
    churn = joblib.load("models/churn.joblib")
    fraud = torch.load("models/fraud.pt")
    ```

    ## How to fix
    One model per serving unit, composed behind a gateway (patterns
    `microservice-horizontal` or `microservice-vertical`, planned), or one model chosen by
    configuration (`mlsd add model-load`); `condition-based-serving` (planned) will choose
    models by condition.
    """

    code = "AIO001"
    name = "many-models-in-one-server"
    family = "all-in-one"
    severity = Severity.WARNING
    summary = "One serving unit loads several distinct models."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for unit in components_of(ctx).serving:
            loads = model_loads(ctx, unit)
            keys: dict[str, tuple[str, int]] = {}
            for mod, call in loads:
                keys.setdefault(model_key(mod, call), (mod.path, call.line))
            if len(keys) < 2:
                continue
            (_path, _line), *_ = sorted(keys.values())
            second = sorted(keys.values())[1]
            names = ", ".join(sorted(keys)[:4])
            yield self.finding(
                second[0],
                second[1],
                f"serving unit {unit.label} loads {len(keys)} models: {names}",
                evidence=f"{unit.name} {names}",
            )
