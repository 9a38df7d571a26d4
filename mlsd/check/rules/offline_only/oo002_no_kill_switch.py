"""OO002 no-kill-switch."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, model_serving
from mlsd.check.context import Context

KILL_SWITCH = re.compile(
    r"kill[_-]?switch|\b\w*_enabled\b|\benable_\w+|\bdisable_\w+|\w*_disabled\b|"
    r"maintenance[_-]?mode|feature[_-]?flag|fallback|circuit[_-]?breaker|pybreaker",
    re.I,
)


class NoKillSwitch(Rule):
    """
    ## What it does
    Fires when a model-serving unit has no kill switch: nothing in its code path or its
    manifests' environment reads a switch such as `PREDICTIONS_ENABLED`, `*_ENABLED`,
    `DISABLE_*`, a maintenance mode, a fallback, a circuit breaker or a feature-flag SDK.
    Off by default; select `OO002` to enable.

    ## Why is this bad?
    When the model starts doing damage online (a bad release, drifted inputs) there is no
    way to turn it off or fall back without a redeploy.

    ## Example
    ```python
    @app.post("/predict")
    def predict(x): return model.predict(x)    # always on
    ```

    ## How to fix
    Read a switch from configuration and return a safe default when it is off
    (`mlsd add parameter-based-serving`).
    """

    code = "OO002"
    name = "no-kill-switch"
    family = "offline-only"
    severity = Severity.INFO
    summary = "A model-serving unit has no kill switch or fallback."
    fix = ("parameter-based-serving",)
    default_enabled = False  # on once generated projects ship PREDICTIONS_ENABLED

    def check(self, ctx: Context) -> Iterator[Finding]:
        units = [u for u in model_serving(ctx) if u.closure]
        if not units:
            return
        for o in components_of(ctx).online_workloads:
            for c in o.containers():
                for env in c.get("env") or []:
                    if isinstance(env, dict) and KILL_SWITCH.search(str(env.get("name", ""))):
                        return
        for unit in units:
            if unit.imports_any(ctx, vocab.FLAG_SDKS) or KILL_SWITCH.search(unit.text(ctx)):
                continue
            path, line = unit.anchor(ctx)
            yield self.finding(path, line, f"no kill switch or fallback for {unit.label}")
