"""OB002 heavy-architecture-in-serving."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import Unit, first_arg, module_constants, string_literals
from mlsd.check.context import Context
from mlsd.check.pyfacts import CallFact, PyModule

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


class HeavyArchitecture(Rule):
    """
    ## What it does
    Fires when serving code loads a known-heavy architecture: large transformer checkpoints
    (`bert-large`, Llama, Mistral, Falcon, `*-7b`...), or big vision backbones (ResNet-152,
    ViT-H, EfficientNet-B7...); any transformer model class loaded with `from_pretrained`
    or a `transformers` pipeline (even a base-size checkpoint has 100M+ parameters; names
    saying distilled, tiny, small or quantised are exempt); or an
    LLM runtime loading weights in-process (vLLM, llama.cpp). Hub ids held in module-level
    constants count. A static risk signal, not a measurement.

    ## Why is this bad?
    These models need seconds and gigabytes per request on CPU; an online API built on them
    misses its latency budget as soon as traffic grows.

    ## Example
    ```python
    model = AutoModel.from_pretrained("bert-large-uncased")
    ```

    ## How to fix
    Use a distilled or quantised model online, move heavy models behind an asynchronous
    queue, cache predictions, and measure with a load test (`mlsd add asynchronous`,
    `mlsd add prediction-cache`, `mlsd add loading-test`).
    """

    code = "OB002"
    name = "heavy-architecture-in-serving"
    family = "online-bigsize"
    severity = Severity.INFO
    summary = "Serving code loads a known-heavy model architecture."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for _unit, path, line, hit in heavy_loads(ctx):
            yield self.finding(
                path, line, f"serving loads heavy architecture '{hit}' (static risk signal)"
            )


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
    for unit in ctx.components.serving:
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
