"""AIO003 per-model-routes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.handlers import routes

_NEUTRAL = re.compile(
    r"^(v\d+|api|models?|batch|async|stream|explain|health\w*|ready|live|metrics|docs|"
    r"\{[^}]*\}|<[^>]*>|:\w+)$",
    re.I,
)


class PerModelRoutes(Rule):
    """
    ## What it does
    Fires when one app declares predict routes for different models, e.g. `/churn/predict`
    and `/fraud/predict` (version segments, `/batch`, path parameters are not models).

    ## Why is this bad?
    It is the all-in-one antipattern in the API: separate models share one deployable,
    one scaling policy and one failure domain.

    ## Example
    ```python
    @app.post("/churn/predict") ...
    @app.post("/fraud/predict") ...
    ```

    ## How to fix
    One service per model behind a gateway (pattern `microservice-horizontal`, planned).
    """

    code = "AIO003"
    name = "per-model-routes"
    family = "all-in-one"
    severity = Severity.WARNING
    summary = "One app serves predict routes for several models."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for unit in components_of(ctx).serving:
            groups: dict[str, tuple[str, int, str]] = {}
            for mod, fn, path in routes(ctx, unit):
                if not vocab.PREDICT_WORDS.search(path):
                    continue
                rest = [
                    seg
                    for seg in path.strip("/").split("/")
                    if seg and not vocab.PREDICT_WORDS.search(seg) and not _NEUTRAL.match(seg)
                ]
                if rest:
                    groups.setdefault("/".join(rest), (mod.path, fn.line, path))
            if len(groups) >= 2:
                items = sorted(groups.values())
                yield self.finding(
                    items[1][0],
                    items[1][1],
                    f"one app serves several models: {', '.join(i[2] for i in items[:4])}",
                )
