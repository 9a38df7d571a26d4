"""NK007 no-monitoring."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context

_MONITOR_KINDS = {"ServiceMonitor", "PodMonitor", "PrometheusRule", "Probe"}


class NoMonitoring(Rule):
    """
    ## What it does
    Fires when a serving unit exposes no metrics and nothing monitors it: no
    prometheus-client / OpenTelemetry / StatsD / Datadog / Sentry in its code path, no
    `/metrics` route, no ServiceMonitor, PodMonitor or `prometheus.io/scrape` annotation.

    ## Why is this bad?
    Latency, error rates and prediction distributions are invisible; a model that silently
    degrades is noticed by customers first.

    ## Example
    ```python
    app = FastAPI()   # no /metrics, no instrumentation
    ```

    ## How to fix
    Expose Prometheus metrics (requests, latency, prediction counts) and scrape them
    (`mlsd add prediction-monitoring`).
    """

    code = "NK007"
    name = "no-monitoring"
    family = "nobody-knows"
    severity = Severity.INFO  # hygiene: metrics may live in the platform
    summary = "A serving unit has no metrics or monitoring."
    fix = ("prediction-monitoring",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        if any(
            o.kind in _MONITOR_KINDS or "prometheus.io/scrape" in str(o.doc)
            for o in ctx.k8s_objects
        ):
            return
        for unit in components_of(ctx).serving:
            if unit.platform or not unit.closure:
                continue
            if unit.imports_any(ctx, vocab.MONITORING_IMPORTS) or '"/metrics"' in unit.text(ctx):
                continue
            path, line = unit.anchor(ctx)
            yield self.finding(path, line, f"serving unit {unit.label} exposes no metrics")
