"""NK004 unversioned-reference."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context
from mlsd.check.platforms import image_repo

_REMOTE_MODEL = re.compile(r"^(s3|gs|gcs|az|abfss?|hf|models|runs|https?)://?\S+", re.I)
_VERSIONED = re.compile(
    r"(^|[/:@=_.-])(v?\d+([._-]\d+)*|[0-9a-f]{7,64}|\d{8}(t\d+)?)([/._-]|$)", re.I
)
_MODEL_WORD = re.compile(r"model|\.onnx|\.pt$|\.pkl|\.joblib|\.h5|\.bin$|checkpoint", re.I)


def _tag(image: str) -> str | None:
    if "@" in image:
        return "digest"
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


def _kustomize_images(ctx: Context) -> set[str]:
    names: set[str] = set()
    for f in ctx.files:
        if f.rel.rsplit("/", 1)[-1] not in ("kustomization.yaml", "kustomization.yml"):
            continue
        for doc in ctx.yaml_docs(f.rel):
            if isinstance(doc, dict):
                for img in doc.get("images") or []:
                    if isinstance(img, dict) and (img.get("newTag") or img.get("digest")):
                        names.add(str(img.get("name", "")))
    return names


class UnversionedReference(Rule):
    """
    ## What it does
    Fires on `:latest` or untagged images in Kubernetes manifests, compose files and
    Dockerfile `FROM` lines (a tag set by a kustomization `images:` entry counts), and on
    remote model URIs in manifests (`s3://.../model.pkl`, `models:/churn/latest`) that carry
    no version.

    ## Why is this bad?
    Nobody knows which image or model is running; a redeploy silently changes behaviour and
    a rollback has nothing to go back to.

    ## Example
    ```yaml
    image: registry/churn-api:latest
    env: [{name: MODEL_URI, value: "s3://models/churn/model.pkl"}]
    ```

    ## How to fix
    Pin image tags (or digests) and reference models by version or content hash
    (pattern `data-model-versioning`, planned).
    """

    code = "NK004"
    name = "unversioned-reference"
    family = "nobody-knows"
    severity = Severity.WARNING
    summary = "`:latest` / untagged images or unversioned model URIs in manifests."

    def check(self, ctx: Context) -> Iterator[Finding]:
        pinned = _kustomize_images(ctx)
        for obj in ctx.k8s_objects:
            for c in obj.containers():
                image = str(c.get("image", ""))
                if image:
                    yield from self._image(ctx, obj.path, image, pinned, obj.line)
                for env in c.get("env") or []:
                    if isinstance(env, dict) and isinstance(env.get("value"), str):
                        yield from self._model_uri(ctx, obj.path, env["value"], obj.line)
                for arg in [*(c.get("args") or []), *(c.get("command") or [])]:
                    yield from self._model_uri(ctx, obj.path, str(arg), obj.line)
        for rel, services in ctx.compose_files.items():
            for svc in services.values():
                if isinstance(svc, dict) and svc.get("image") and not svc.get("build"):
                    yield from self._image(ctx, rel, str(svc["image"]), pinned, 1)
        for rel, df in ctx.dockerfiles.items():
            aliases = {s.alias for s in df.stages if s.alias}
            for stage in df.stages:
                base = stage.base
                if base.lower() in aliases or base == "scratch" or "$" in base:
                    continue
                tag = _tag(base)
                if tag is None or tag == "latest":
                    yield self.finding(
                        rel,
                        stage.line,
                        f"base image '{base}' is not pinned to a version",
                        evidence=f"FROM {base}",
                    )

    def _image(
        self, ctx: Context, rel: str, image: str, pinned: set[str], start: int
    ) -> Iterator[Finding]:
        tag = _tag(image)
        if image_repo(image) in pinned:
            return
        if tag is None or tag == "latest":
            yield self.finding(
                rel,
                ctx.line_of(rel, image, start, start),
                f"image '{image}' has no version tag",
                evidence=f"image {image}",
            )

    def _model_uri(self, ctx: Context, rel: str, value: str, start: int) -> Iterator[Finding]:
        value = value.strip()
        if not _REMOTE_MODEL.match(value) or not _MODEL_WORD.search(value):
            return
        path = value.split("://", 1)[-1]
        if "latest" in path.lower() or not _VERSIONED.search(path.split("/", 1)[-1]):
            yield self.finding(
                rel,
                ctx.line_of(rel, value, start, start),
                f"model reference '{value}' has no version",
                evidence=f"model {value}",
            )
