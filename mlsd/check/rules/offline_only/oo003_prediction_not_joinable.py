"""OO003 prediction-not-joinable."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import model_serving
from mlsd.check.context import Context
from mlsd.check.handlers import functions_by_name, log_calls, predict_handlers

_ID = re.compile(r"\b\w*_?id\b|\bid\b|uuid|trace|correlation", re.I)
#: a log call about the prediction (not the prompt, the settings or the routing)
_PREDICTION = re.compile(
    r"pred|output|result|respon|answer|score|prob|label|generat|completion|\by\b|y_?hat",
    re.I,
)
#: a logging filter / context that stamps every record with the request id
_CONTEXT_ID = re.compile(
    r"record\.\w*id\b\s*=|bind_contextvars\(|contextvars?\b.*request_?id|request_id_var|"
    r"setLogRecordFactory|correlation_id\.get\(",
    re.I,
)


class PredictionNotJoinable(Rule):
    """
    ## What it does
    Fires on a predict handler that logs its prediction (a log call naming the output,
    result, score, label or answer) without any identifier (request id, entity / user /
    item id, trace id) in the log call, so the prediction cannot be joined to the outcome
    that happens later. A logging filter or context that stamps every record
    with the request id (`record.request_id = ...`, structlog `bind_contextvars`) counts.

    ## Why is this bad?
    Online evaluation needs "what did we predict for this request" joined with "what
    actually happened"; without a key the logs cannot answer whether the model helps.

    ## Example
    ```python
    logger.info("prediction %s", y)
    ```

    ## How to fix
    Log the request id and the business entity id with every prediction
    (`mlsd add prediction-log`), then join them to outcomes (`mlsd add online-ab-testing`).
    """

    code = "OO003"
    name = "prediction-not-joinable"
    family = "offline-only"
    severity = Severity.WARNING
    summary = "Predictions are logged without an id to join them to outcomes."
    fix = ("prediction-log", "online-ab-testing")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for unit in model_serving(ctx):
            if _CONTEXT_ID.search(unit.text(ctx)):
                continue  # every log record already carries the request id
            by_name = functions_by_name(ctx, unit)
            for mod, fn in predict_handlers(ctx, unit):
                calls = [c for c in log_calls(fn, by_name) if _PREDICTION.search(c.source())]
                if calls and not any(_ID.search(c.source()) for c in calls):
                    call = calls[0]
                    owner = next((m for m in unit.modules(ctx) if call in m.calls), mod)
                    yield self.finding(
                        owner.path,
                        call.line,
                        f"prediction logged by '{fn.name}' carries no request or entity id",
                    )
