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
