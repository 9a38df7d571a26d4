"""Heavy-model facts shared by the online-bigsize rules: artefacts over the size limit
that go into a serving unit, and loads of known-heavy architectures, transformer models and
LLM runtimes."""

from __future__ import annotations

import fnmatch
import re

from mlsd.check import vocab
from mlsd.check.components import components_of
from mlsd.check.context import Context, file_size, is_test_path
from mlsd.check.models import first_arg, module_constants
from mlsd.check.pyfacts import CallFact, PyModule, string_literals
from mlsd.check.units import Unit

HEAVY = re.compile(
    r"llama|mistral|mixtral|falcon|bloom|gpt-?j|gpt-?neox|gpt2-(large|xl)|opt-\d|t5-(large|3b|11b)"
    r"|flan-t5-(large|xl|xxl)|bert-large|roberta-large|deberta-v\d-(large|xlarge)|whisper-"
    r"(medium|large)|bart-large|vit-(large|huge)|stable-diffusion|sdxl|\b\d{1,3}b\b|"
    r"^(resnet152|resnet101|vit_l_\d+|vit_h_\d+|efficientnet_b7|convnext_large|"
    r"swin_b|swin_v2_b|regnet_y_128gf|wide_resnet101_2)$",
    re.I,
)
_LOADERS = re.compile(
    r"(^|\.)(from_pretrained|pipeline|SentenceTransformer|create_model|"
    r"resnet152|resnet101|vit_l_16|vit_h_14|efficientnet_b7|convnext_large)$"
)
#: transformer model classes: even a base-size checkpoint is 100M+ parameters, heavy on the
#: request path (tokenizers, configs and processors are not models)
_TRANSFORMER_MODEL = re.compile(
    r"(^|\.)(AutoModel\w*|\w+For(?:CausalLM|ConditionalGeneration|SequenceClassification|"
    r"TokenClassification|QuestionAnswering|MaskedLM|Seq2SeqLM)|\w*(?:Bert|GPT2?|T5|Llama|"
    r"Roberta)(?:LMHead)?Model|PeftModel|SentenceTransformer|pipeline)"
    r"(\.from_pretrained)?$"
)
#: LLM runtimes that load weights in the serving process
_LLM_RUNTIMES = re.compile(
    r"(^|\.)(vllm\.LLM|LLM|AsyncLLMEngine(\.from_engine_args)?|Llama|Llama\.from_pretrained|"
    r"AutoModelForCausalLM\.from_pretrained|ctransformers\.\w+|ExLlama\w*)$"
)
#: checkpoints named as light (distilled, tiny, quantised) are not heavy by class alone
LIGHT = re.compile(r"distil|tiny|mini(?!stral)|small|mobile|nano|micro|int8|int4|gguf", re.I)
_RUNTIME_IMPORTS = frozenset({"vllm", "llama_cpp", "ctransformers", "exllamav2", "mlc_llm"})


def copied_into(unit: Unit, rel: str) -> int | None:
    """The line of the final-stage COPY that puts `rel` into the unit's image, if any."""
    df = unit.dockerfile
    if df is None or df.final is None:
        return None
    for copy in df.final.copies:
        if copy.from_stage:
            continue
        for src in copy.sources:
            s = src.lstrip("./").rstrip("/")
            if s in ("", ".") or rel == s or rel.startswith(s + "/") or fnmatch.fnmatch(rel, s):
                return copy.line
    return None


def large_artifacts(ctx: Context) -> list[tuple[Unit, str, int, str, int]]:
    """(serving unit, path, line, artefact, MB) of every artefact over the size limit that
    goes into an online serving unit (its image, or the repository of an image-less one)."""
    out: list[tuple[Unit, str, int, str, int]] = []
    serving = components_of(ctx).serving
    if not serving:
        return out
    limit = ctx.threshold("large-model-mb") * 1024 * 1024
    with_docker = [u for u in serving if u.dockerfile is not None]
    for f in ctx.by_kind["artifact"]:
        if is_test_path(f.rel):
            continue
        size = file_size(ctx, f.rel)
        if size <= limit:
            continue
        mb = size // (1024 * 1024)
        if not with_docker:
            path, line = serving[0].anchor(ctx)
            out.append((serving[0], path, line, f.rel, mb))
            continue
        for unit in with_docker:
            line = copied_into(unit, f.rel)
            if line is not None:
                assert unit.dockerfile is not None
                out.append((unit, unit.dockerfile.path, line, f.rel, mb))
    return out


def _transformer_or_llm(mod: PyModule, call: CallFact) -> bool:
    if call.attr == "pipeline" and not (mod.imports_any({"transformers"})):
        return False
    if _LLM_RUNTIMES.search(call.name) and mod.imports_any(_RUNTIME_IMPORTS):
        return True
    return bool(_TRANSFORMER_MODEL.search(call.name)) and mod.imports_any(
        {"transformers", "peft", "sentence_transformers"}
    )


def heavy_loads(ctx: Context) -> list[tuple[Unit, str, int, str]]:
    """(serving unit, module, line, model name) of every heavy model load: a known-heavy
    architecture by name (hub ids in module constants resolved), a transformer model
    class, or an LLM runtime (vLLM, llama.cpp, ...)."""
    out: list[tuple[Unit, str, int, str]] = []
    seen: set[tuple[str, int]] = set()
    for unit in components_of(ctx).serving:
        for mod in unit.modules(ctx):
            for call in mod.calls:
                if vocab.NOT_A_MODEL.search(call.name):
                    continue
                transformer = _transformer_or_llm(mod, call)
                if not (transformer or _LOADERS.search(call.name)):
                    continue
                arg = first_arg(call)
                names = string_literals(arg, module_constants(mod)) if arg is not None else []
                names += [
                    str(k.value.value)
                    for k in call.node.keywords
                    if k.arg == "model" and hasattr(k.value, "value")
                ]
                if call.attr not in (
                    "from_pretrained",
                    "pipeline",
                    "SentenceTransformer",
                    "create_model",
                ):
                    names.append(call.attr)
                hit = next((n for n in names if n and HEAVY.search(n)), None)
                if hit is None and transformer and not any(LIGHT.search(n) for n in names):
                    hit = next((n for n in names if "/" in n or "-" in n), call.name)
                if hit and (mod.path, call.line) not in seen:
                    seen.add((mod.path, call.line))
                    out.append((unit, mod.path, call.line, hit))
    return out


# Parameter counts as configs state them: an explicit count (`num_parameters: 7000000000`,
# `params: "7B"`), or a Hugging Face `config.json` whose layer count and width imply one.
_COUNT_KEYS = re.compile(
    r'"?\b(num_parameters|n_parameters|num_params|n_params|parameter_count|total_params|'
    r'model_parameters|params)\b"?\s*[:=]\s*"?([0-9][0-9_.,]*)\s*([kmbt]?)\b',
    re.I,
)
_SCALE = {"": 1, "k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
_HF_SHAPE = re.compile(r'"(num_hidden_layers|n_layer|hidden_size|n_embd|d_model)"\s*:\s*(\d+)')


def stated_parameters(text: str) -> int | None:
    """The largest parameter count a config states or implies, or None."""
    counts = []
    for _key, number, unit in _COUNT_KEYS.findall(text):
        try:
            value = float(number.replace("_", "").replace(",", ""))
        except ValueError:
            continue
        counts.append(int(value * _SCALE[unit.lower()]))
    shape: dict[str, int] = {}
    for key, value in _HF_SHAPE.findall(text):
        shape.setdefault(
            "layers" if key in ("num_hidden_layers", "n_layer") else "width", int(value)
        )
    if len(shape) == 2:  # a transformer block holds about 12 * width^2 weights
        counts.append(12 * shape["layers"] * shape["width"] ** 2)
    return max(counts) if counts else None


def large_configs(ctx: Context) -> list[tuple[Unit, str, int]]:
    """(serving unit, config path, parameters) of every model config in a serving unit's
    folder or image that states or implies more parameters than `heavy-parameters-m`."""
    out: list[tuple[Unit, str, int]] = []
    serving = components_of(ctx).serving
    if not serving:
        return out
    limit = ctx.threshold("heavy-parameters-m") * 1_000_000
    for f in [*ctx.by_kind["yaml"], *ctx.by_kind["text"]]:
        if is_test_path(f.rel) or not f.rel.endswith((".json", ".yaml", ".yml")):
            continue
        text = ctx.text(f.rel) or ""
        params = stated_parameters(text[:200_000])
        if params is None or params < limit:
            continue
        for unit in serving:
            in_image = unit.dockerfile is not None and copied_into(unit, f.rel) is not None
            if in_image or unit.dockerfile is None:
                out.append((unit, f.rel, params))
                break
    return out
