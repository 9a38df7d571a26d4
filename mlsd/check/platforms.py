"""Units declared by platforms rather than by a Dockerfile command: compose commands,
serverless functions, model-server images and KServe/Seldon objects, and the Kubernetes
workloads (online Deployments, Jobs) of a repository."""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator

from mlsd.check import vocab
from mlsd.check.context import Context
from mlsd.check.manifests import K8sObject
from mlsd.check.units import Unit, excluded


def compose_commands(ctx: Context, dockerfile: str) -> Iterator[tuple[str, list[str]]]:
    """(service, command words) of compose services that build `dockerfile` and set its
    command: `build: .` plus `command: generate.py` decides what the image serves."""
    for rel, services in ctx.compose_files.items():
        folder = posixpath.dirname(rel)
        for name, svc in services.items():
            if not isinstance(svc, dict) or not svc.get("build") or not svc.get("command"):
                continue
            build = svc["build"]
            spec = build if isinstance(build, dict) else {"context": build}
            context = str(spec.get("context") or ".")
            built = posixpath.normpath(
                posixpath.join(folder, context, str(spec.get("dockerfile") or "Dockerfile"))
            )
            if built != dockerfile:
                continue
            cmd = svc["command"]
            try:
                words = shlex.split(cmd) if isinstance(cmd, str) else [str(w) for w in cmd]
            except ValueError:
                continue
            yield str(name), words


#: events that make a function answer requests online (not a schedule or a queue)
_ONLINE_EVENTS = frozenset({"http", "httpApi", "alb", "websocket", "Api", "HttpApi"})
_SAM_FUNCTION = re.compile(r"^\s*Type:\s*['\"]?AWS::Serverless::Function", re.M)


def serverless_units(ctx: Context, existing: list[Unit]) -> list[Unit]:
    """Functions of a Serverless Framework `serverless.yml` or an AWS SAM template that
    answer HTTP requests: each handler module is a serving unit (Lambda, not a container)."""
    covered = {rel for u in existing for rel in u.closure}
    units: list[Unit] = []
    for f in ctx.by_kind["yaml"]:
        name = f.rel.rsplit("/", 1)[-1].lower()
        if name in ("serverless.yml", "serverless.yaml"):
            found = _serverless_functions(ctx, f.rel)
        elif name.startswith("template.") and _SAM_FUNCTION.search(ctx.text(f.rel) or ""):
            found = _sam_functions(ctx, f.rel)
        else:
            continue
        folder = f.rel.rsplit("/", 1)[0] + "/" if "/" in f.rel else ""
        for fn_name, handler, code_dir in found:
            module = handler.rsplit(".", 1)[0]
            rel = posixpath.normpath(f"{folder}{code_dir}{module}.py")
            if rel not in ctx.modules or rel in covered or excluded(ctx, rel):
                continue
            line = ctx.line_of(f.rel, handler)
            reason = f"{f.rel}: serverless function '{fn_name}' answers HTTP requests"
            unit = Unit("serving", rel, f.rel, line, [rel], reasons=[reason])
            unit.closure = ctx.closure([rel])
            covered.update(unit.closure)
            units.append(unit)
    return units


def _serverless_functions(ctx: Context, rel: str) -> Iterator[tuple[str, str, str]]:
    for doc in ctx.yaml_docs(rel):
        functions = doc.get("functions") if isinstance(doc, dict) else None
        for fn_name, spec in (functions or {}).items() if isinstance(functions, dict) else ():
            if not isinstance(spec, dict) or not isinstance(spec.get("handler"), str):
                continue
            events = spec.get("events") or []
            kinds = {k for e in events if isinstance(e, dict) for k in e}
            if kinds & _ONLINE_EVENTS or spec.get("url"):
                yield str(fn_name), spec["handler"], ""


def _sam_functions(ctx: Context, rel: str) -> Iterator[tuple[str, str, str]]:
    """SAM templates use CloudFormation tags (`!Ref`) that a safe YAML loader refuses, so
    each function's block is read as text: its Handler, CodeUri and event types."""
    text = ctx.text(rel) or ""
    blocks = re.split(r"^  (?=[A-Za-z0-9]+:\s*$)", text, flags=re.M)
    for block in blocks:
        if not _SAM_FUNCTION.search(block):
            continue
        handler = re.search(r"^\s*Handler:\s*['\"]?([\w./-]+)", block, re.M)
        code = re.search(r"^\s*CodeUri:\s*['\"]?([\w./-]+)", block, re.M)
        events = set(re.findall(r"^\s*Type:\s*['\"]?(\w+)", block, re.M))
        if handler and events & _ONLINE_EVENTS:
            code_dir = code.group(1).strip("./") + "/" if code and code.group(1) != "." else ""
            yield block.split(":", 1)[0].strip(), handler.group(1), code_dir


def platform_units(ctx: Context) -> list[Unit]:
    units = []
    for rel, services in ctx.compose_files.items():
        for name, svc in services.items():
            image = str((svc or {}).get("image", "")) if isinstance(svc, dict) else ""
            if vocab.SERVING_IMAGES.search(image):
                line = ctx.line_of(rel, image)
                units.append(
                    Unit("serving", name, rel, line, platform=image, reasons=["model server"])
                )
    for obj in ctx.k8s_objects:
        if obj.kind in ("InferenceService", "SeldonDeployment", "ServingRuntime"):
            units.append(
                Unit("serving", obj.name, obj.path, obj.line, platform=obj.kind, reasons=[obj.kind])
            )
            continue
        for c in obj.containers():
            image = str(c.get("image", ""))
            if vocab.SERVING_IMAGES.search(image):
                line = ctx.line_of(obj.path, image)
                units.append(
                    Unit("serving", obj.name, obj.path, line, platform=image, reasons=["image"])
                )
    return units


def workloads(ctx: Context) -> tuple[list[K8sObject], list[K8sObject]]:
    online, jobs = [], []
    for obj in ctx.k8s_objects:
        if obj.kind in ("Job", "CronJob"):
            jobs.append(obj)
        elif obj.kind in ("Deployment", "StatefulSet", "Rollout"):
            for c in obj.containers():
                if c.get("ports") or c.get("readinessProbe") or c.get("livenessProbe"):
                    online.append(obj)
                    break
    return online, jobs


def image_repo(image: str) -> str:
    """`reg/name:tag@sha` -> `reg/name`."""
    image = image.split("@", 1)[0]
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        image = image[: len(image) - len(last)] + last.split(":", 1)[0]
    return image
