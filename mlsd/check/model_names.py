"""Which logical model a file or a save call names: `models/churn/1.2.0/model.onnx` is
churn, `fraud_fold2.pkl` is fraud, `m-<hex>` under a tracking store is a version. Shared by
the rules that count models (a repository's models, the models a unit serves)."""

from __future__ import annotations

import ast
import re

from mlsd.check import vocab
from mlsd.check.components import components_of
from mlsd.check.context import Context, is_test_path

#: file stems (digits already replaced by `#`) that say "a model" but not which one
_GENERIC = re.compile(
    r"^(model|models|weights?|checkpoint|ckpt|best|last|final|latest|current|saved_model|"
    r"pytorch_model|tf_model|flax_model|model_weights|variables|output|artifact)"
    r"(?:[-_.]?(?:#|of|best|final|latest|weights?|v#)?)*$",
    re.I,
)
#: folders that hold models without naming one (versions, stages, registries...)
_GENERIC_DIR = re.compile(
    r"^(models?|artifacts?|artefacts?|weights|checkpoints?|ckpts?|outputs?|registry|store|"
    r"current|latest|production|prod|staging|release|releases|saved_models?|export|exports|"
    r"serving|assets|data|v?[#.]+.*|[0-9a-f#]{6,}|\.|src|app|resources|\d+|"
    # scratch folders and experiment-tracking stores hold runs of a model, not names
    r"tmp|temp|cache|mlruns|mlartifacts)$",
    re.I,
)
#: opaque ids (hex digests, uuids) that tracking servers give runs and model versions
_RUN_ID = re.compile(r"(^|[_-])[0-9a-f]{16,}($|[_-])|[0-9a-f]{8}-[0-9a-f]{4}-", re.I)
#: pickles of data, not of models
_NOT_MODEL_FILE = re.compile(
    r"(^|[_.-])(data|dataset|df|frame|train|test|val|valid|split|cache|embeddings?|index|stats|"
    r"results?|metrics|history|samples?|predictions?|preds|lookup|[xy])([_.-]|$)"
)
#: folders whose files are data, fixtures or examples, not models the repository ships
_NOT_MODEL_DIRS = frozenset(
    {"data", "datasets", "dataset", "fixtures", "samples", "examples", "example", "docs"}
)

#: name parts that say "a model" or which algorithm, not which model (`churn_xgb_model_v3`)
_NOISE_TOKENS = frozenset(
    {
        "model",
        "models",
        "weights",
        "weight",
        "best",
        "final",
        "latest",
        "current",
        "trained",
        "clf",
        "classifier",
        "regressor",
        "estimator",
        "pipeline",
        "xgb",
        "xgboost",
        "lgb",
        "lgbm",
        "lightgbm",
        "catboost",
        "cbm",
        "rf",
        "lr",
        "svm",
        "knn",
        "nn",
        "cnn",
        "rnn",
        "lstm",
        "mlp",
        "sklearn",
        "torch",
        "tf",
        "keras",
        "onnx",
        "v#",
        "#",
        "",
    }
)


#: ensemble members, folds, seeds and shards of one model
_MEMBER = re.compile(r"(fold|seed|member|part|shard|split|epoch|step|run|v|ver|version)#?")


def _norm(name: str) -> str:
    return re.sub(r"\d+", "#", name.lower())


def _core(stem: str) -> str:
    """`churn_xgb_model_v3` -> `churn`; `fraud_fold2` -> `fraud`; `model-#-of-#` -> ``."""
    tokens = re.split(r"[_.\-\s]+", stem)
    return "_".join(
        t for t in tokens if t not in _NOISE_TOKENS and t != "of" and not _MEMBER.fullmatch(t)
    )


def model_identity(path: str) -> str | None:
    """Which logical model a file path names: the file stem, or the nearest folder that
    names a model when the file name is generic (`models/churn/1.2.0/model.onnx` -> churn).
    None for things that are not models (tokenizers, scalers...) or name no model."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if not parts:
        return None
    name = parts[-1]
    if vocab.NOT_A_MODEL.search(name):
        return None
    stem = _norm(name.split(".", 1)[0])
    if _NOT_MODEL_FILE.search(stem) or (
        name.lower().endswith(".bin") and not re.search(r"model|weight", name, re.I)
    ):
        return None
    core = _core(stem)
    if core and not _GENERIC.match(stem):
        return core
    for raw in reversed(parts[:-1]):
        if _RUN_ID.search(raw):
            continue  # a run or logged-model id (MLflow `m-<hex>`): a version, not a name
        folder = _norm(raw)
        if vocab.NOT_A_MODEL.search(folder):
            return None
        if not _GENERIC_DIR.match(folder) and _core(folder):
            return _core(folder)
    return "model"


def artefact_models(ctx: Context) -> dict[str, str]:
    """Named logical model -> the first committed artefact of it. A model named nowhere
    (`models/current/model.onnx`) is not counted: it is most likely one of the named ones."""
    out: dict[str, str] = {}
    for f in ctx.by_kind["artifact"]:
        if is_test_path(f.rel) or _NOT_MODEL_DIRS.intersection(f.rel.lower().split("/")[:-1]):
            continue
        key = model_identity(f.rel)
        if key and key != "model":
            out.setdefault(key, f.rel)
    return out


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def trained_models(ctx: Context) -> dict[str, tuple[str, int]]:
    """Logical model -> (training module, line) of the call that saves or registers it."""
    out: dict[str, tuple[str, int]] = {}
    rels = dict.fromkeys(rel for u in components_of(ctx).training for rel in u.closure)
    for rel in rels:
        mod = ctx.modules.get(rel)
        if mod is None or not re.search(r"dump|save|log_model", mod.text):
            continue
        for call in mod.calls:
            if not vocab.MODEL_SAVE.search(call.name):
                continue
            first = ast.unparse(call.node.args[0]) if call.node.args else ""
            if vocab.NOT_A_MODEL.search(call.name) or vocab.NOT_A_MODEL.search(first):
                continue  # `tokenizer.save_pretrained`, `joblib.dump(scaler, ...)`
            key = None
            for kw in call.node.keywords:
                if kw.arg == "registered_model_name" and call.attr == "log_model":
                    names = _strings(kw.value)
                    key = (_core(_norm(names[0])) or "model") if names else None
            if key is None:
                args = call.node.args[1:] if call.attr in ("dump", "save") else call.node.args
                if call.attr == "save" and not call.name.startswith(("torch", "jit", "onnx")):
                    args = list(call.node.args)
                args = [*args, *(k.value for k in call.node.keywords if k.arg != "obj")]
                strings = [s for a in args for s in _strings(a) if s and "\n" not in s]
                if call.attr in ("dump", "save") and not any(
                    vocab.MODEL_FILE_HINT.search(s.lower()) for s in strings
                ):
                    continue  # `fig.save(...)`, `json.dump(...)`: not a model
                key = model_identity("/".join(strings)) if strings else None
            if key and key != "model":
                out.setdefault(key, (rel, call.line))
    return out


def configured_models(ctx: Context) -> set[str]:
    """Values of MODEL_* settings given to the online workloads and compose services: one
    generic image run several times, each with its own model (the model-load pattern)."""
    values: set[str] = set()
    envs: list[object] = []
    for o in components_of(ctx).online_workloads:
        for c in o.containers():
            envs.extend(c.get("env") or [])
    for services in ctx.compose_files.values():
        for svc in services.values():
            if isinstance(svc, dict):
                env = svc.get("environment") or []
                envs.extend(
                    [{"name": k, "value": v} for k, v in env.items()]
                    if isinstance(env, dict)
                    else [
                        dict(zip(("name", "value"), str(e).split("=", 1), strict=False))
                        for e in env
                    ]
                )
    for e in envs:
        if isinstance(e, dict) and re.search(
            r"MODEL(_NAME|_PATH|_URI|_ID|_DIR|_FILE)?$", str(e.get("name", "")), re.I
        ):
            values.add(str(e.get("value", "")))
    return values
