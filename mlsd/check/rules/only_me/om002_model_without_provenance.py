"""OM002 model-without-provenance."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, training_notebooks
from mlsd.check.context import Context, is_test_path
from mlsd.check.facts import model_cards

#: file-sharing services of a personal account (not model hubs, which carry model cards)
_FILE_SHARE = re.compile(
    r"https?://(?:www\.)?(?P<host>drive\.google\.com|docs\.google\.com|dropbox\.com|"
    r"dl\.dropboxusercontent\.com|onedrive\.live\.com|1drv\.ms|mega\.nz|we\.tl|"
    r"wetransfer\.com|mediafire\.com)/[^\s'\"]*"
)
_MODEL_WORD = re.compile(r"model|weights|checkpoint|\.(?:pkl|pt|pth|h5|joblib|onnx|bin)\b", re.I)
_PROVENANCE = re.compile(r"(metadata|meta|mlmodel|provenance|manifest|model_info)[\w.-]*$", re.I)


class ModelWithoutProvenance(Rule):
    """
    ## What it does
    Fires on model files committed to the repository (`.pkl`, `.joblib`, `.pt`, `.onnx`,
    `.h5`, ... or their Git LFS pointers) when the repository has no training code and
    nothing records where they came from: no metadata file next to them, no `.dvc` pointer,
    no MLflow `MLmodel`, no model card.

    ## Why is this bad?
    Nobody can retrain, audit or even describe the model; when its author leaves, the file
    is all that is left.

    ## Example
    ```text
    models/model.pkl     # no train.py, no metadata.json, no MODEL_CARD.md
    ```

    ## How to fix
    Commit the training code, write `metadata.json` (data version, code version, metrics)
    next to the artefact, or track it in a registry (pattern `data-model-versioning`, planned).
    """

    code = "OM002"
    name = "model-without-provenance"
    family = "only-me"
    severity = Severity.WARNING
    summary = "Committed model files with no training code and no provenance."

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        if comps.training_modules or training_notebooks(ctx) or model_cards(ctx):
            return
        folders_with_meta = {
            posixpath.dirname(f.rel)
            for f in ctx.files
            if _PROVENANCE.search(f.rel.rsplit("/", 1)[-1]) or f.rel.endswith(".dvc")
        }
        for f in ctx.by_kind["artifact"]:
            if is_test_path(f.rel) or posixpath.dirname(f.rel) in folders_with_meta:
                continue
            if f.rel + ".dvc" in ctx.by_path:
                continue
            yield self.finding(
                f.rel,
                1,
                f"model file {f.rel} has no training code or provenance",
                evidence=f.rel,
            )
        yield from self._shared_downloads(ctx)

    def _shared_downloads(self, ctx: Context) -> Iterator[Finding]:
        """A model fetched from a personal file share is a committed model by other means:
        it lives in one person's account, and nothing says how it was made."""
        for rel, text in _scripts(ctx):
            if not _MODEL_WORD.search(text):
                continue
            for m in _FILE_SHARE.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                yield self.finding(
                    rel,
                    line,
                    f"model downloaded from a personal file share ({m.group('host')}) with "
                    "no training code or provenance",
                    evidence=m.group(0),
                )


def _scripts(ctx: Context) -> Iterator[tuple[str, str]]:
    """Code that runs: Python modules, Dockerfiles, shell scripts, Makefiles, and
    extension-less scripts with a shebang (`bin/download_model`)."""
    for f in ctx.files:
        if is_test_path(f.rel):
            continue
        name = f.rel.rsplit("/", 1)[-1].lower()
        runs = f.kind in ("python", "dockerfile") or name.endswith(".sh") or name == "makefile"
        if not runs and f.kind == "other" and "." not in name and f.size < 65536:
            runs = ctx.head(f.rel, 2) == b"#!"
        text = ctx.text(f.rel) if runs else None
        if text and "://" in text:
            yield f.rel, text
