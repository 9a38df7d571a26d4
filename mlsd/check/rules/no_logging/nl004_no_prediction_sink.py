"""NL004 no-prediction-sink."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import model_serving
from mlsd.check.context import Context

_JSON_LOGS = re.compile(
    r"jsonformatter|json_formatter|jsonrenderer|serialize\s*=\s*true|json\.dumps"
)
_SHIPPERS = re.compile(
    r"(^|/)(fluent-?bit|fluentd|vector|promtail|filebeat|otel-?collector|logstash)[\w.-]*$",
    re.I,
)


class NoPredictionSink(Rule):
    """
    ## What it does
    Fires when a model-serving unit has no prediction sink: no queue, table or log-shipper
    client in its code path, no structured (JSON) log output, and no log-shipper
    configuration (Fluent Bit, Vector, Promtail, an OpenTelemetry collector) in the repo.

    ## Why is this bad?
    Predictions that only reach an unstructured console are lost on restart and cannot be
    queried, so offline evaluation and drift monitoring have nothing to read.

    ## Example
    ```python
    print(f"prediction {y}")   # unstructured, never collected
    ```

    ## How to fix
    Emit one JSON log record per prediction (collected from stdout by the platform) or write
    it to a queue or table. `mlsd add prediction-log` sets this up.
    """

    code = "NL004"
    name = "no-prediction-sink"
    family = "no-logging"
    severity = Severity.INFO
    summary = "A model-serving unit sends its predictions nowhere durable."

    def check(self, ctx: Context) -> Iterator[Finding]:
        if any(_SHIPPERS.search(f.rel) for f in ctx.files):
            return
        for unit in model_serving(ctx):
            if unit.platform or not unit.closure:
                continue
            if unit.imports_any(ctx, vocab.SINK_IMPORTS) or _JSON_LOGS.search(unit.text(ctx)):
                continue
            path, line = unit.anchor(ctx)
            yield self.finding(
                path, line, f"predictions of {unit.label} go to no queue, table or JSON log"
            )
