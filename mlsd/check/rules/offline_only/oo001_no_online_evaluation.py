"""OO001 no-online-evaluation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context

FLAG_SDKS = frozenset(
    {
        "ldclient",
        "UnleashClient",
        "growthbook",
        "flagsmith",
        "optimizely",
        "splitio",
        "statsig",
        "posthog",
        "openfeature",
        "eppo_client",
    }
)
_CODE = re.compile(
    r"shadow|mirror|traffic[_-]?split|ab[_-]?test|experiment[_-]?group|variant|canary"
)
_ROLLOUT_KINDS = {"Rollout", "Canary", "TrafficSplit", "Experiment"}


class NoOnlineEvaluation(Rule):
    """
    ## What it does
    Fires when a repository has a serving unit and no online evaluation mechanism: no
    traffic split or mirroring (Istio `weight`/`mirror`, Argo Rollouts, Flagger, SMI
    TrafficSplit, KServe `canaryTrafficPercent`), no feature-flag or experiment SDK, no
    A/B or shadow gateway in the code. Weaker (info) when there are no production
    manifests. Off by default; select `OO001` to enable.

    ## Why is this bad?
    A model that is only ever evaluated offline can look better on the test set and worse on
    the business outcome; without an A/B or shadow phase nobody finds out until it is live
    for everyone.

    ## Example
    ```yaml
    kind: Deployment    # one model version, 100% of traffic, no experiment
    ```

    ## How to fix
    Compare candidates on live traffic first (`mlsd add shadow-ab-testing`, `mlsd add
    online-ab-testing`), or put releases behind a parameter switch (`mlsd add
    parameter-based-serving`).
    """

    code = "OO001"
    name = "no-online-evaluation"
    family = "offline-only"
    severity = Severity.WARNING
    summary = "A serving unit and no online evaluation (A/B, shadow, canary, flags)."
    default_enabled = False

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = ctx.components
        if not comps.serving:
            return
        for o in ctx.k8s_objects:
            text = str(o.doc)
            if o.kind in _ROLLOUT_KINDS or "canaryTrafficPercent" in text:
                return
            if o.kind == "VirtualService" and ("'weight'" in text or "'mirror" in text):
                return
        for unit in comps.serving:
            if unit.imports_any(ctx, FLAG_SDKS) or _CODE.search(unit.text(ctx)):
                return
        unit = comps.serving[0]
        path, line = unit.anchor(ctx)
        weak = not comps.has_production_manifests
        yield self.finding(
            path,
            line,
            "no online evaluation (A/B test, shadow, canary or feature flag)",
            evidence="no-online-evaluation",
            severity=Severity.INFO if weak else None,
        )
