"""AIO004 many-frameworks-in-one-server."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context


class ManyFrameworks(Rule):
    """
    ## What it does
    Fires when one serving unit's code path imports two or more ML runtimes (PyTorch,
    TensorFlow/Keras, JAX, XGBoost, LightGBM, CatBoost, ONNX Runtime, MXNet, Paddle).

    ## Why is this bad?
    Several frameworks usually mean several models in one server, and always mean a huge
    image, slow start-up and conflicting native dependencies.

    ## Example
    ```python
    import torch
    import xgboost
    ```

    ## How to fix
    Split the models into their own services, or export them to one runtime such as ONNX
    (pattern `microservice-horizontal`, planned).
    """

    code = "AIO004"
    name = "many-frameworks-in-one-server"
    family = "all-in-one"
    severity = Severity.INFO
    summary = "One serving unit imports several ML frameworks."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for unit in components_of(ctx).serving:
            found: dict[str, tuple[str, int]] = {}
            for mod in unit.modules(ctx):
                for imp in mod.imports:
                    fw = (
                        vocab.FRAMEWORK_IMPORTS.get(imp.module.split(".")[0])
                        if imp.level == 0
                        else None
                    )
                    if fw:
                        found.setdefault(fw, (mod.path, imp.line))
            if len(found) >= 2:
                path, line = sorted(found.values())[1]
                yield self.finding(
                    path,
                    line,
                    f"serving unit {unit.label} uses {len(found)} frameworks: "
                    f"{', '.join(sorted(found))}",
                )
