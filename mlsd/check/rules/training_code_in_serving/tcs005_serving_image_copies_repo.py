"""TCS005 serving-image-copies-repo."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

import pathspec

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context

_MATERIAL_DIRS = re.compile(r"(^|/)(notebooks?|experiments?|data|datasets|training|train)/")


def dockerignore(ctx: Context, dockerfile: str) -> pathspec.PathSpec | None:
    folder = posixpath.dirname(dockerfile)
    for rel in (
        f"{dockerfile}.dockerignore",
        posixpath.join(folder, ".dockerignore"),
        ".dockerignore",
    ):
        text = ctx.text(rel) if rel in ctx.by_path else None
        if text is not None:
            lines = []
            for raw in text.splitlines():
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                neg = line.startswith("!")
                body = line[1:] if neg else line
                if not body.startswith(("/", "**")):
                    body = "/" + body  # Docker patterns are anchored at the context root
                lines.append(("!" if neg else "") + body)
            return pathspec.GitIgnoreSpec.from_lines(lines)
    return None


class ServingImageCopiesRepo(Rule):
    """
    ## What it does
    Fires when the final stage of a serving Dockerfile copies the whole build context
    (`COPY . .`, `ADD . /app`) and no `.dockerignore` excludes the training material present
    in the repository (notebooks, training modules, data and experiment folders).

    ## Why is this bad?
    Notebooks, datasets and training scripts end up in the online image: it grows, leaks
    data, and serving starts depending on files it should never see.

    ## Example
    ```dockerfile
    FROM python:3.11-slim
    COPY . /app          # also copies notebooks/ and data/
    CMD ["uvicorn", "app:app"]
    ```

    ## How to fix
    Copy only what serving needs (`COPY src/ ...`, the model) or add a `.dockerignore` that
    excludes notebooks, data and training code. Multi-stage builds whose final stage copies
    from a builder are fine (`mlsd add model-in-image`).
    """

    code = "TCS005"
    name = "serving-image-copies-repo"
    family = "training-code-in-serving"
    severity = Severity.WARNING
    summary = "A serving image copies the whole repository, training material included."
    fix = ("model-in-image", "pipeline-training")

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        material = sorted(
            {f.rel for f in ctx.by_kind["notebook"]}
            | set(comps.training_modules)
            | {f.rel for f in ctx.files if _MATERIAL_DIRS.search(f.rel)}
        )
        if not material:
            return
        for unit in comps.serving_dockerfiles:
            df = unit.dockerfile
            assert df is not None and df.final is not None
            for copy in df.final.copies:
                if copy.from_stage or not any(s.rstrip("/") in (".", "") for s in copy.sources):
                    continue
                spec = dockerignore(ctx, df.path)
                leaked = [m for m in material if spec is None or not spec.match_file(m)]
                if leaked:
                    shown = ", ".join(leaked[:3]) + (" ..." if len(leaked) > 3 else "")
                    yield self.finding(
                        df.path,
                        copy.line,
                        f"serving image copies the whole repository, including {shown}",
                    )
