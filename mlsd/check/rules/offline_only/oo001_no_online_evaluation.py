"""OO001 no-online-evaluation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, model_serving
from mlsd.check.context import Context

_CODE = re.compile(
    r"shadow|mirror|traffic[_-]?split|ab[_-]?test|experiment[_-]?group|canary|"
    # a model variant, not a UI style such as gradio's `variant="primary"`
    r"variant(?!\s*=\s*[\"'])|"
    # users judge answers live (votes, feedback): human online evaluation
    r"upvote|downvote|\bvote_|/feedback|thumbs[_-]?(?:up|down)"
)
#: predictions recorded per model version and request: versions compare on live traffic
_VERSION = re.compile(r"model[_-]?version")
_REQUEST_ID = re.compile(r"request[_-]?id|correlation[_-]?id|trace[_-]?id")
_ROLLOUT_KINDS = {"Rollout", "Canary", "TrafficSplit", "Experiment"}


class NoOnlineEvaluation(Rule):
    """
    ## What it does
    Fires when a repository has a serving unit and no online evaluation mechanism: no
    traffic split or mirroring (Istio `weight`/`mirror`, Argo Rollouts, Flagger, SMI
    TrafficSplit, KServe `canaryTrafficPercent`), no feature-flag or experiment SDK, no
    A/B or shadow gateway in the code, no user votes or feedback on answers, and no
    prediction record that carries both the model version and a request id (which lets
    versions be compared on live traffic). Warning when a serving unit loads or holds a model
    (that model is what goes unevaluated), info when the only servers hold no model.

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

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        if not comps.serving:
            return
        for o in ctx.k8s_objects:
            text = str(o.doc)
            if o.kind in _ROLLOUT_KINDS or "canaryTrafficPercent" in text:
                return
            if o.kind == "VirtualService" and ("'weight'" in text or "'mirror" in text):
                return
        for unit in comps.serving:
            text = unit.text(ctx)
            if unit.imports_any(ctx, vocab.FLAG_SDKS) or _CODE.search(text):
                return
            if _VERSION.search(text) and _REQUEST_ID.search(text):
                return
        models = model_serving(ctx)
        unit = (models or comps.serving)[0]
        path, line = unit.anchor(ctx)
        weak = not models
        yield self.finding(
            path,
            line,
            "no online evaluation (A/B test, shadow, canary or feature flag)",
            evidence="no-online-evaluation",
            severity=Severity.INFO if weak else None,
        )
