"""TCS007 shared-training-serving-image."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.platforms import image_repo

_TRAIN = re.compile(r"train|fit|tune", re.I)


def _build_key(svc: dict[str, Any]) -> str:
    build = svc.get("build")
    if isinstance(build, str):
        return f"build:{build}:Dockerfile"
    if isinstance(build, dict):
        return f"build:{build.get('context', '.')}:{build.get('dockerfile', 'Dockerfile')}"
    return image_repo(str(svc.get("image", "")))


class SharedTrainingServingImage(Rule):
    """
    ## What it does
    Fires when one image is used both by a training Job/CronJob (or compose service whose
    name or command trains) and by an online server (a Deployment with ports or probes, a
    compose service with ports). Batch inference jobs may share the training image.

    ## Why is this bad?
    One image for both roles means the online server carries the whole training stack, and
    every training dependency bump redeploys the server.

    ## Example
    ```yaml
    kind: CronJob      # image: registry/proj:1.2.0, args: [train]
    ---
    kind: Deployment   # image: registry/proj:1.2.0, ports: [8000]
    ```

    ## How to fix
    Build one image per role (`Dockerfile.training`, `Dockerfile.serving`) from shared code
    (`mlsd add pipeline-training`).
    """

    code = "TCS007"
    name = "shared-training-serving-image"
    family = "training-code-in-serving"
    severity = Severity.WARNING
    summary = "One image is used for a training job and an online server."

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        online: dict[str, tuple[str, int, str]] = {}
        for obj in comps.online_workloads:
            for c in obj.containers():
                if c.get("image"):
                    online[image_repo(str(c["image"]))] = (obj.path, obj.line, obj.name)
        for obj in comps.jobs:
            for c in obj.containers():
                image = image_repo(str(c.get("image", "")))
                text = " ".join(
                    map(str, [obj.name, *(c.get("command") or []), *(c.get("args") or [])])
                )
                if image in online and _TRAIN.search(text):
                    path, _line, name = online[image]
                    yield self.finding(
                        obj.path,
                        ctx.line_of(obj.path, str(c["image"]), obj.line, obj.line),
                        f"training job '{obj.name}' uses image {image}, also served online by "
                        f"'{name}' ({path})",
                        evidence=f"{obj.name} {image}",
                    )
        for rel, services in ctx.compose_files.items():
            servers: dict[str, str] = {}
            trainers: list[tuple[str, str]] = []
            for name, svc in services.items():
                if not isinstance(svc, dict):
                    continue
                key = _build_key(svc)
                text = f"{name} {svc.get('command', '')}"
                if svc.get("ports"):
                    servers[key] = name
                elif _TRAIN.search(text):
                    trainers.append((name, key))
            for name, key in trainers:
                if key in servers and key != ":":
                    yield self.finding(
                        rel,
                        ctx.line_of(rel, f"{name}:"),
                        f"compose service '{name}' trains with the image of online service "
                        f"'{servers[key]}'",
                        evidence=f"{name} {key}",
                    )
