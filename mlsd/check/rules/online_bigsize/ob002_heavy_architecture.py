"""OB002 heavy-architecture-in-serving."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import Unit
from mlsd.check.context import Context

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


class HeavyArchitecture(Rule):
    """
    ## What it does
    Fires when serving code loads a known-heavy architecture: large transformer checkpoints
    (`bert-large`, Llama, Mistral, Falcon, `*-7b`...), or big vision backbones (ResNet-152,
    ViT-H, EfficientNet-B7...). A static risk signal, not a measurement.

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


def heavy_loads(ctx: Context) -> list[tuple[Unit, str, int, str]]:
    """(serving unit, module, line, model name) of every heavy-architecture load."""
    out: list[tuple[Unit, str, int, str]] = []
    seen: set[tuple[str, int]] = set()
    for unit in ctx.components.serving:
        for mod in unit.modules(ctx):
            for call in mod.calls:
                if not _LOADERS.search(call.name):
                    continue
                names = [call.arg0() or ""] + [
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
                if hit and (mod.path, call.line) not in seen:
                    seen.add((mod.path, call.line))
                    out.append((unit, mod.path, call.line, hit))
    return out
