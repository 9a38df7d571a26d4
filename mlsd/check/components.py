"""Find the serving units and training units of a repository.

Most false positives come from getting this boundary wrong, so every unit records why it is
one, and `[tool.mlsd.components]` (serving / training / exclude globs) overrides detection.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from mlsd.check import vocab
from mlsd.check.context import Context
from mlsd.check.launch import classify_command, command_lines
from mlsd.check.manifests import K8sObject
from mlsd.check.models import hosted_model_calls, model_loads
from mlsd.check.platforms import compose_commands, platform_units, serverless_units, workloads
from mlsd.check.training import has_training
from mlsd.check.units import Unit, excluded


@dataclass
class Components:
    """The units of a repository. Computed from a context by `components_of`, never
    stored in it: units name files, the context reads them."""

    serving: list[Unit]
    training: list[Unit]
    training_modules: list[str]
    online_workloads: list[K8sObject]
    jobs: list[K8sObject]

    @property
    def serving_dockerfiles(self) -> list[Unit]:
        return [u for u in self.serving if u.dockerfile is not None]


_COMPUTED: WeakKeyDictionary[Context, Components] = WeakKeyDictionary()


def components_of(ctx: Context) -> Components:
    """The context's units, found once per context (and forgotten with it)."""
    comps = _COMPUTED.get(ctx)
    if comps is None:
        comps = _COMPUTED[ctx] = find_components(ctx)
    return comps


def training_notebooks(ctx: Context) -> list[str]:
    return [rel for rel, nb in ctx.notebooks.items() if has_training(nb)]


def model_serving(ctx: Context) -> list[Unit]:
    """Serving units that load or hold a model (a gateway that only proxies does not),
    or front a model hosted for them (a Lambda calling a SageMaker endpoint)."""
    return [
        u
        for u in components_of(ctx).serving
        if u.platform or model_loads(ctx, u) or hosted_model_calls(ctx, u)
    ]


def has_production_manifests(ctx: Context) -> bool:
    comps = components_of(ctx)
    return bool(comps.online_workloads or comps.jobs or ctx.compose_files)


def find_components(ctx: Context) -> Components:
    cfg = ctx.cfg
    serving: list[Unit] = []
    training: list[Unit] = []
    if cfg.serving:
        serving = _configured_units(ctx, "serving", cfg.serving)
    if cfg.training:
        training = _configured_units(ctx, "training", cfg.training)
    if not cfg.serving or not cfg.training:
        auto = _dockerfile_units(ctx)
        if not cfg.serving:
            serving = [u for u in auto if u.kind == "serving"]
            serving += _python_serving_units(ctx, serving)
            serving += _command_units(ctx, serving)
            serving += serverless_units(ctx, serving)
            serving += platform_units(ctx)
        if not cfg.training:
            training = [u for u in auto if u.kind == "training"]

    if cfg.training:
        training_modules = sorted({rel for u in training for rel in u.closure})
    else:
        training_modules = [
            m.path for m in ctx.source_modules() if not excluded(ctx, m.path) and has_training(m)
        ]
        covered = {rel for u in training for rel in u.entries}
        for rel in training_modules:
            if rel not in covered:
                unit = Unit("training", rel, rel, 1, [rel], reasons=["calls training APIs"])
                unit.closure = ctx.closure([rel])
                training.append(unit)
    online, jobs = workloads(ctx)
    return Components(serving, training, training_modules, online, jobs)


def _dockerfile_units(ctx: Context, only: list[str] | None = None) -> list[Unit]:
    units = []
    for rel, df in sorted(ctx.dockerfiles.items()):
        if excluded(ctx, rel) or (only is not None and rel not in only) or df.final is None:
            continue
        words, line = df.command()
        kind, entries, reason = classify_command(ctx, words)
        if kind is None:
            for service, cmd in compose_commands(ctx, rel):
                kind, entries, reason = classify_command(ctx, df.command(cmd=cmd)[0])
                if kind is not None:
                    reason = f"compose service '{service}': {reason}"
                    break
        base = df.base_image()
        platform = base if vocab.SERVING_IMAGES.search(base) else None
        if platform:
            kind, reason = "serving", f"final image is a model server ({base})"
        name = rel.rsplit("/", 1)[-1].lower()
        role = name.split(".", 1)[1] if "." in name else ""
        if kind is None and only is not None:
            kind = "training" if vocab.TRAIN_NAME.search(role) else "serving"
        if kind is None and role and vocab.SERVE_NAME.search(role) and words:
            kind, reason = "serving", f"serving Dockerfile ({name})"
        if kind is None and role and vocab.TRAIN_NAME.search(role):
            kind, reason = "training", f"training Dockerfile ({name})"
        if kind is None:
            continue
        unit = Unit(kind, rel, rel, line, entries, df, platform, [reason])
        unit.closure = ctx.closure(entries)
        units.append(unit)
    return units


def _configured_units(ctx: Context, kind: str, globs: list[str]) -> list[Unit]:
    units: list[Unit] = []
    for pattern in globs:
        matched = [f.rel for f in ctx.files if ctx.matches(f.rel, [pattern])]
        dockerfiles = [r for r in matched if r in ctx.dockerfiles]
        for u in _dockerfile_units(ctx, only=dockerfiles):
            u.kind = kind
            u.reasons.append(f"configured: {pattern}")
            units.append(u)
        py = [r for r in matched if r in ctx.modules]
        if py:
            unit = Unit(kind, pattern, py[0], 1, py, reasons=[f"configured: {pattern}"])
            unit.closure = ctx.closure(py)
            units.append(unit)
    return units


def _python_serving_units(ctx: Context, existing: list[Unit]) -> list[Unit]:
    covered = {rel for u in existing for rel in u.closure}
    units = []
    for mod in ctx.source_modules():
        rel = mod.path
        if rel in covered or excluded(ctx, rel):
            continue
        if mod.imports_any(vocab.SERVING_IMPORTS) and (m := vocab.APP_TEXT.search(mod.text)):
            reason = "creates a web/RPC app"
        elif mod.imports_any(vocab.UI_APP_IMPORTS) and (m := vocab.UI_APP_TEXT.search(mod.text)):
            reason = "is an interactive app (Streamlit, Gradio, ...)"
        else:
            continue
        line = mod.text.count("\n", 0, m.start()) + 1
        unit = Unit("serving", rel, rel, line, [rel], reasons=[reason])
        unit.closure = ctx.closure([rel])
        units.append(unit)
    # an app module imported by another app module belongs to that unit
    inner = {rel for u in units for rel in u.closure if rel not in u.entries}
    return [u for u in units if u.entries[0] not in inner]


def _command_units(ctx: Context, existing: list[Unit]) -> list[Unit]:
    covered = {rel for u in existing for rel in u.closure}
    units: list[Unit] = []
    for rel, _line, command in command_lines(ctx):
        if not vocab.SERVE_COMMAND_HINT.search(command):
            continue
        try:
            words = shlex.split(command)
        except ValueError:
            continue
        kind, entries, reason = classify_command(ctx, words)
        entries = [e for e in entries if e not in covered and not excluded(ctx, e)]
        if kind != "serving" or not entries:
            continue
        unit = Unit("serving", entries[0], entries[0], 1, entries, reasons=[f"{rel}: {reason}"])
        unit.closure = ctx.closure(entries)
        covered.update(unit.closure)
        units.append(unit)
    return units
