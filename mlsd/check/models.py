"""Model facts in code: which calls load, build or save a model, and which model a load
names (`model_key`), so that rules count models the way the code names them."""

from __future__ import annotations

import ast
import re

from mlsd.check import vocab
from mlsd.check.context import Context
from mlsd.check.pyfacts import CallFact, PyModule, string_literals
from mlsd.check.units import Unit


def model_saves(mod: PyModule) -> list[CallFact]:
    """Calls that write a trained model to a file: `joblib.dump(clf, ...)`,
    `torch.save(model.state_dict(), ...)`, `model.save("m.h5")`, `save_pretrained`..."""
    if not vocab.SAVE_HINT.search(mod.text):
        return []
    out = []
    for call in mod.calls:
        if not vocab.MODEL_SAVE.search(call.name):
            continue
        args = [ast.unparse(a) for a in call.node.args]
        if call.attr in ("dump", "log_model") or call.name.startswith(("torch.", "jit.")):
            named = args[0] if args else ""  # joblib.dump(clf, ...), torch.save(model, ...)
        else:
            named = call.name.rsplit(".", 1)[0]  # model.save(...), clf.save_model(...)
        by_name = vocab.MODEL_NAME.search(named) and not vocab.NOT_A_MODEL.search(named)
        if by_name or any(vocab.MODEL_FILE_HINT.search(a.strip("'\"").lower()) for a in args):
            out.append(call)
    return out


def model_loads(ctx: Context, unit: Unit) -> list[tuple[PyModule, CallFact]]:
    out: list[tuple[PyModule, CallFact]] = []
    for mod in unit.modules(ctx):
        zoo = vocab.PRETRAINED_HINT.search(mod.text) and pretrained_builders(mod)
        if not zoo and not re.search(
            r"load|InferenceSession|from_pretrained|Booster|SentenceTransformer|pipeline",
            mod.text,
        ):
            continue
        # torch.load next to load_state_dict reads weights into a model built in code
        weights_only = ".load_state_dict(" in mod.text
        for call in mod.calls:
            if zoo and builds_pretrained(call, zoo):
                out.append((mod, call))
                continue
            if not vocab.MODEL_LOAD.search(call.name):
                continue
            if weights_only and call.name.endswith("torch.load"):
                continue
            if call.attr == "pipeline" and not call.name.startswith(("transformers", "pipeline")):
                continue
            if vocab.NOT_A_MODEL.search(call.name) or vocab.NOT_A_MODEL.search(
                _loaded_name(mod, call)
            ):
                continue
            out.append((mod, call))
    return out


def pretrained_builders(mod: PyModule) -> frozenset[str]:
    """Names through which a module reaches a model zoo (`MobileNetV2`, `models`, `timm`)."""

    def in_zoo(name: str) -> bool:
        return any(name == z or name.startswith(z + ".") for z in vocab.PRETRAINED_ZOOS)

    out: set[str] = set()
    for imp in mod.imports:
        if imp.level:
            continue
        if not imp.names and in_zoo(imp.module):
            out.add(imp.module.split(".")[0])
        out.update(n for n in imp.names if in_zoo(imp.module) or in_zoo(f"{imp.module}.{n}"))
    return frozenset(out)


def builds_pretrained(call: CallFact, names: frozenset[str]) -> bool:
    """`MobileNetV2(weights="imagenet")`, `models.resnet50(pretrained=True)`: a model zoo
    class built with downloaded weights is a model load, though no file is named."""
    head = call.name.split(".", 1)[0]
    if head not in names and ".applications." not in call.name:
        return False
    for kw in call.node.keywords:
        if kw.arg in ("weights", "pretrained"):
            value = kw.value
            return not (isinstance(value, ast.Constant) and value.value in (None, False, ""))
    return False


def hosted_model_calls(ctx: Context, unit: Unit) -> list[tuple[PyModule, CallFact]]:
    """Calls to a model deployed on a managed endpoint (SageMaker, Vertex AI)."""
    return [
        (mod, call)
        for mod in unit.modules(ctx)
        if "ndpoint" in mod.text
        for call in mod.calls
        if vocab.HOSTED_MODEL_CALL.search(call.name)
    ]


def _loaded_name(mod: PyModule, call: CallFact) -> str:
    """What a load names: its string literals (constants resolved), else its source.
    `config["MODEL_PATH"]` names MODEL_PATH, not a config."""
    arg = first_arg(call)
    if arg is None:
        return ""
    literals = string_literals(arg, module_constants(mod))
    return " ".join(literals) if literals else ast.unparse(arg)


#: numbered parts of one logical model (ensemble members, folds, weight shards)
_MEMBER_NUMBER = re.compile(
    r"(fold|member|seed|shard|part|split|cv|ckpt|checkpoint|epoch|run)([_-]?)\d+", re.I
)
_SHARD = re.compile(r"\d+-of-\d+")
CONFIGURED_MODEL = "<configured>"


def first_arg(call: CallFact) -> ast.expr | None:
    node = call.node
    if node.args:
        return node.args[0]
    for kw in node.keywords:
        if kw.arg in ("model_file", "path", "f", "model_path", "path_or_fileobj", "model"):
            return kw.value
    return None


def module_constants(mod: PyModule) -> dict[str, list[str]]:
    """Module-level `NAME = <expr>` -> the string literals in <expr> (`Path("m.pkl")` too)."""
    return mod.constants


def model_key(mod: PyModule, call: CallFact) -> str:
    """What a load call loads: the file names or hub ids written in the code (module-level
    constants resolved), numbered members of one model (`fold1`/`fold2`, weight shards)
    folded into one. A load whose target comes from a parameter, setting or environment
    variable is one configured model, however many code paths lead to it."""
    arg = first_arg(call)
    if arg is None:
        zoo = any(kw.arg in ("weights", "pretrained") for kw in call.node.keywords)
        return call.attr if zoo else CONFIGURED_MODEL
    literals = string_literals(arg, module_constants(mod))
    names = [lit.rsplit("/", 1)[-1] for lit in literals if re.search(r"[\w-]{2}", lit)]
    if not names:
        return CONFIGURED_MODEL
    return _SHARD.sub("#", _MEMBER_NUMBER.sub(r"\1\2#", "/".join(names)))
