"""OB002 heavy-architecture-in-serving."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context
from mlsd.check.heavy import heavy_loads, large_configs


class HeavyArchitecture(Rule):
    """
    ## What it does
    Fires when serving code loads a known-heavy architecture: large transformer checkpoints
    (`bert-large`, Llama, Mistral, Falcon, `*-7b`...), or big vision backbones (ResNet-152,
    ViT-H, EfficientNet-B7...); any transformer model class loaded with `from_pretrained`
    or a `transformers` pipeline (even a base-size checkpoint has 100M+ parameters; names
    saying distilled, tiny, small or quantised are exempt); or an
    LLM runtime loading weights in-process (vLLM, llama.cpp). Hub ids held in module-level
    constants count. Also fires on a model config shipped with a serving unit that states a
    parameter count over `thresholds.heavy-parameters-m` (default 1000, i.e. 1B:
    `num_parameters`, `params: 7B`...) or whose layer count and width imply one (a Hugging
    Face `config.json`). A static risk signal, not a measurement.

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
        for _unit, path, params in large_configs(ctx):
            yield self.finding(
                path,
                1,
                f"model config states about {params / 1e9:.1f}B parameters for a serving unit "
                "(static risk signal)",
            )
