"""OB001 large-model-artifact."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context
from mlsd.check.heavy import large_artifacts


class LargeModelArtifact(Rule):
    """
    ## What it does
    Fires on a model artefact larger than `thresholds.large-model-mb` (default 500 MB; the
    size comes from the file, or from a Git LFS pointer's `size` line) that goes into an
    online serving image, or sits in a repository whose online service has no Dockerfile.
    A static signal: it shows risk, not measured latency.

    ## Why is this bad?
    Big models make images slow to pull, pods slow to start and scale, and predictions slow
    and memory-hungry; autoscaling cannot react to a traffic spike.

    ## Example
    ```dockerfile
    COPY models/ /app/models/     # models/bert-large.bin is 1.3 GB
    ```

    ## How to fix
    Distil, quantise or prune; serve asynchronously or from a cache; or load the model from
    a store at start instead of baking it in (`mlsd add asynchronous`, `mlsd add
    prediction-cache`, `mlsd add loading-test` to measure).
    """

    code = "OB001"
    name = "large-model-artifact"
    family = "online-bigsize"
    severity = Severity.WARNING
    summary = "A large model artefact goes into an online serving unit."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for unit, path, line, rel, mb in large_artifacts(ctx):
            where = "is copied into serving image" if unit.dockerfile else "is served online"
            yield self.finding(
                path, line, f"{rel} ({mb} MB) {where} (static risk signal)", evidence=rel
            )
