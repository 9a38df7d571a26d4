"""NL001 serving-without-logging."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.models import model_loads
from mlsd.check.units import Unit


def serves_predictions(ctx: Context, unit: Unit) -> bool:
    """The unit loads a model or has a predict-like function: a dashboard or a monitor
    that answers no predictions is not what this family is about."""
    if model_loads(ctx, unit):
        return True
    return any(vocab.PREDICT_WORDS.search(fn.name) for m in unit.modules(ctx) for fn in m.functions)


class ServingWithoutLogging(Rule):
    """
    ## What it does
    Fires when a serving unit (the app module and every in-repo module it imports) that
    answers predictions (it loads a model or has a predict-like function) imports no
    logging library: `logging`, `loguru`, `structlog` or `opentelemetry`.

    ## Why is this bad?
    An online model that logs nothing cannot be debugged, audited or evaluated: nobody can
    say what it answered, to whom, or why it failed.

    ## Example
    ```python
    from fastapi import FastAPI
    app = FastAPI()

    @app.post("/predict")
    def predict(x: list[float]):
        return {"y": model.predict([x]).tolist()}
    ```

    ## How to fix
    Configure `logging` (a JSON formatter) once in the app, or in a shared module the app
    imports; log each prediction with a request id. `mlsd add prediction-log` does this.
    """

    code = "NL001"
    name = "serving-without-logging"
    family = "no-logging"
    severity = Severity.ERROR
    summary = "A serving unit imports no logging library."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for unit in components_of(ctx).serving:
            if unit.platform or not unit.closure:
                continue
            if unit.imports_any(ctx, vocab.LOGGING_IMPORTS) or not serves_predictions(ctx, unit):
                continue
            path, line = unit.anchor(ctx)
            yield self.finding(path, line, f"serving unit {unit.label} imports no logging library")
