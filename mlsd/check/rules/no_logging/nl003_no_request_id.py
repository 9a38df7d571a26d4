"""NL003 no-request-id."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.facts import mesh_present

REQUEST_ID = re.compile(
    r"request[_-]?id|correlation[_-]?id|trace[_-]?id|traceparent|span[_-]?id|opentelemetry|"
    r"asgi_correlation_id|requestid"
)


class NoRequestId(Rule):
    """
    ## What it does
    Fires when nothing in a serving unit's code path mentions a request, correlation or trace
    id (`X-Request-ID`, `request_id`, `traceparent`, OpenTelemetry), and no service mesh that
    would add one is configured.

    ## Why is this bad?
    Logs without a request id cannot be joined across the gateway, the model server and the
    outcome data; a single bad answer cannot be traced end to end.

    ## Example
    ```python
    @app.post("/predict")
    def predict(x: Features):
        logger.info("predicted %s", y)   # which request was this?
    ```

    ## How to fix
    Add a middleware that reads or creates `X-Request-ID`, returns it in the response and
    puts it on every log record. `mlsd add prediction-log` includes one.
    """

    code = "NL003"
    name = "no-request-id"
    family = "no-logging"
    severity = Severity.INFO  # hygiene: logs without an id are still logs
    summary = "No request or correlation id anywhere in the serving path."

    def check(self, ctx: Context) -> Iterator[Finding]:
        units = [u for u in components_of(ctx).serving if u.closure and not u.platform]
        if not units or mesh_present(ctx):
            return
        for unit in units:
            if REQUEST_ID.search(unit.text(ctx)):
                continue
            path, line = unit.anchor(ctx)
            yield self.finding(
                path, line, f"no request or correlation id in serving unit {unit.label}"
            )
