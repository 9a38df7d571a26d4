"""AIO005 many-models-one-deployable."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import model_serving
from mlsd.check.context import Context
from mlsd.check.model_names import artefact_models, configured_models, trained_models
from mlsd.check.models import model_key, model_loads


class ManyModelsOneDeployable(Rule):
    """
    ## What it does
    Fires when the repository holds two or more distinct models (committed model artefacts,
    or training code that saves or registers models under different names) but has only
    one model-serving deployable. A model is named by its file, or by its folder when the
    file name is generic (`models/churn/3/model.onnx` is "churn"). Not models: tokenizers,
    vocabularies, scalers, encoders, label files; files differing only by a number (folds,
    versions, ensemble members) are one model. Does not fire when the one server already
    loads several models in code (AIO001 reports that), nor when one generic image is
    deployed several times with a different `MODEL_*` setting each (the model-load
    pattern). On a multi-model platform (Triton, TF Serving, ModelMesh) it is informational.

    ## Why is this bad?
    All models ship, scale and roll back together in one deployable: a release of one model
    redeploys all of them, and their owners, release cycles and resource needs cannot
    diverge.

    ## Example
    ```text
    models/churn/model.onnx   models/fraud/model.onnx
    Dockerfile.serving        # the only server, one Deployment
    ```

    ## How to fix
    Give each model its own serving deployable behind a gateway (pattern
    `microservice-horizontal`, planned), or one generic image deployed once per model with
    the model chosen by configuration (`mlsd add model-load`).
    """

    code = "AIO005"
    name = "many-models-one-deployable"
    family = "all-in-one"
    severity = Severity.WARNING
    summary = "Several distinct models in the repository but only one serving deployable."
    fix = ("microservice-horizontal", "model-load")

    def check(self, ctx: Context) -> Iterator[Finding]:
        units = model_serving(ctx)
        if len(units) != 1:
            return
        unit = units[0]
        models: dict[str, str] = dict(artefact_models(ctx))
        for key, (rel, line) in trained_models(ctx).items():
            models.setdefault(key, f"{rel}:{line}")
        if len(models) < 2:
            return
        if len({model_key(mod, call) for mod, call in model_loads(ctx, unit)}) >= 2:
            return  # AIO001: the server visibly loads several models
        if len(configured_models(ctx)) >= 2:
            return  # the model-load pattern: one image, one deployment per model
        platform = bool(unit.platform and vocab.MULTI_MODEL_PLATFORMS.search(unit.platform))
        note = " (multi-model platform: check each model has its own release)" if platform else ""
        names = ", ".join(sorted(models)[:4]) + (", ..." if len(models) > 4 else "")
        if unit.dockerfile is not None:
            path, line = unit.dockerfile.path, unit.line
        else:
            path, line = unit.anchor(ctx)
        yield self.finding(
            path,
            line,
            f"{len(models)} models ({names}) but one serving deployable, {unit.label}{note}",
            evidence=f"{unit.name} {names}",
            severity=Severity.INFO if platform else None,
        )
