"""NL002 prediction-not-logged."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import model_serving
from mlsd.check.context import Context
from mlsd.check.handlers import (
    functions_by_name,
    log_calls,
    predict_handlers,
    route_of,
    routes_called_by_logging_units,
)


class PredictionNotLogged(Rule):
    """
    ## What it does
    Fires on a predict handler (a route whose path or name says predict / infer / score,
    a gRPC servicer's Predict method) of a model-serving unit that makes no log call, neither
    directly nor through an in-repo helper it calls. A route that another serving unit of
    the repository calls, and that unit logs, is an internal hop (a model worker behind a
    controller or web front): the prediction is recorded where the request came in.

    ## Why is this bad?
    Without a record of every prediction you cannot join predictions to outcomes, replay an
    incident, detect drift or answer "why did the model say that?".

    ## Example
    ```python
    @app.post("/predict")
    def predict(req: Request):
        return {"label": int(model.predict([req.features])[0])}
    ```

    ## How to fix
    Log the input summary, the output, the model version and the request id in the handler
    (or a helper such as `log_prediction(...)`). `mlsd add prediction-log` wires this in.
    """

    code = "NL002"
    name = "prediction-not-logged"
    family = "no-logging"
    severity = Severity.WARNING
    summary = "A predict handler does not log the prediction."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for unit in model_serving(ctx):
            by_name = functions_by_name(ctx, unit)
            internal = routes_called_by_logging_units(ctx, unit)
            for mod, fn in predict_handlers(ctx, unit):
                if route_of(fn) in internal:
                    continue
                if not log_calls(fn, by_name):
                    where = mod.where(fn.line)
                    yield self.finding(
                        mod.path,
                        fn.line,
                        f"predict handler '{fn.name}' does not log the prediction{where}",
                    )
