"""OB003 no-latency-budget."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context

_CODE_TIMEOUT = re.compile(r"timeout\w*\s*=|wait_for\(|asyncio\.timeout|fail_after|move_on_after")
_DOC_SLO = re.compile(
    r"\bSLO\b|latency budget|p9[59]\b[^\n]{0,40}\bms\b|\b\d+\s?ms\b[^\n]{0,40}p9[59]", re.I
)


class NoLatencyBudget(Rule):
    """
    ## What it does
    Fires when an online service declares no latency budget anywhere: no timeout in its code
    path (`timeout=` on clients, `asyncio.wait_for`), none on the server command
    (`--timeout*`), no `HEALTHCHECK --timeout`, no probe `timeoutSeconds` or mesh `timeout`,
    and no SLO (an `slo*` file, "SLO" / "latency budget" / "p99 ... ms" in the docs).
    A static signal: it shows risk only.

    ## Why is this bad?
    Without a budget nobody knows whether the model is fast enough, and a slow dependency
    makes requests pile up until the service falls over.

    ## Example
    ```python
    r = httpx.post(MODEL_URL, json=payload)   # waits forever
    ```

    ## How to fix
    Write the budget down (README or an SLO file), set timeouts on every outbound call and
    on the server, and verify it with a load test (`mlsd add loading-test`).
    """

    code = "OB003"
    name = "no-latency-budget"
    family = "online-bigsize"
    severity = Severity.INFO
    summary = "No timeouts and no declared SLO for an online service."
    fix = ("loading-test", "prediction-circuit-break")

    def check(self, ctx: Context) -> Iterator[Finding]:
        units = [u for u in components_of(ctx).serving if not u.platform]
        if not units or self._declared(ctx):
            return
        for unit in units:
            if _CODE_TIMEOUT.search(unit.text(ctx)):
                continue
            df = unit.dockerfile
            if df is not None:
                words, _line = df.command()
                if any(w.startswith("--timeout") for w in words):
                    continue
                if any("timeout" in i.flags for s in df.stages for i in s.ops("HEALTHCHECK")):
                    continue
            path, line = unit.anchor(ctx)
            yield self.finding(
                path, line, f"no timeout or latency budget for {unit.label} (static risk signal)"
            )

    def _declared(self, ctx: Context) -> bool:
        if ctx.glob("*slo*.y*ml", "*/slo*", "*sloth*"):
            return True
        for o in ctx.k8s_objects:
            text = str(o.doc)
            if "timeoutSeconds" in text or (o.kind == "VirtualService" and "timeout" in text):
                return True
        return any(_DOC_SLO.search(ctx.text(f.rel) or "") for f in ctx.by_kind["markdown"])
