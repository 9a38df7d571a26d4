"""AIO002 many-models-in-one-image."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context


def _model_name(path: str) -> str | None:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if not vocab.MODEL_FILE_HINT.search(name) or vocab.NOT_A_MODEL.search(name):
        return None
    return re.sub(r"\d+", "#", name)


class ManyModelsInImage(Rule):
    """
    ## What it does
    Fires when the final stage of a serving Dockerfile copies two or more distinct model
    artefacts (files with model extensions in the repository under the copied paths, or
    named in the COPY). Tokenizers, scalers, encoders and label files are not models. For
    multi-model platforms (Triton, TF Serving, ModelMesh) the finding is informational.

    ## Why is this bad?
    Every model is rebuilt, redeployed and scaled with all the others; the image grows with
    each model and one model's update risks the rest.

    ## Example
    ```dockerfile
    COPY models/churn.onnx models/fraud.onnx /app/models/
    ```

    ## How to fix
    Build one image per model and put a gateway in front (pattern
    `microservice-horizontal`, planned), or load one model chosen by configuration
    (`mlsd add model-load`).
    """

    code = "AIO002"
    name = "many-models-in-one-image"
    family = "all-in-one"
    severity = Severity.WARNING
    summary = "One serving image holds several models."

    def check(self, ctx: Context) -> Iterator[Finding]:
        artifacts = [f.rel for f in ctx.by_kind["artifact"]]
        for unit in components_of(ctx).serving_dockerfiles:
            df = unit.dockerfile
            assert df is not None and df.final is not None
            models: dict[str, str] = {}
            first_line = 0
            for copy in df.final.copies:
                for src in copy.sources:
                    found = []
                    if not copy.from_stage:
                        s = src.lstrip("./").rstrip("/")
                        found = [
                            a
                            for a in artifacts
                            if s not in ("", ".")
                            and (a == s or a.startswith(s + "/") or fnmatch.fnmatch(a, s))
                        ]
                    found = found or [src]
                    for path in found:
                        key = _model_name(path)
                        if key and key not in models:
                            models[key] = path
                            first_line = first_line or copy.line
            if len(models) < 2:
                continue
            platform = unit.platform and vocab.MULTI_MODEL_PLATFORMS.search(unit.platform)
            note = (
                " (multi-model platform: check each model has its own release)" if platform else ""
            )
            yield self.finding(
                df.path,
                first_line,
                f"serving image holds {len(models)} models: "
                f"{', '.join(sorted(models.values())[:4])}{note}",
                severity=Severity.INFO if platform else None,
            )
