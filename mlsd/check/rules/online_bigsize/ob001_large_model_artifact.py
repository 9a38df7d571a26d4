"""OB001 large-model-artifact."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import Unit
from mlsd.check.context import Context, file_size, is_test_path


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


def large_artifacts(ctx: Context) -> list[tuple[Unit, str, int, str, int]]:
    """(serving unit, path, line, artefact, MB) of every artefact over the size limit that
    goes into an online serving unit (its image, or the repository of an image-less one)."""
    out: list[tuple[Unit, str, int, str, int]] = []
    serving = ctx.components.serving
    if not serving:
        return out
    limit = ctx.env("large-model-mb") * 1024 * 1024
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
