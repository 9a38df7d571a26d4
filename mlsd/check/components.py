"""Find the serving units and training units of a repository.

Most false positives come from getting this boundary wrong, so every unit records why it is
one, and `[tool.mlsd.components]` (serving / training / exclude globs) overrides detection.
"""

from __future__ import annotations

import ast
import os
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from mlsd.check import vocab
from mlsd.check.context import Context, K8sObject, is_test_path
from mlsd.check.dockerfile import Dockerfile
from mlsd.check.pyfacts import CallFact, PyModule, dotted

if TYPE_CHECKING:
    from collections.abc import Iterator

_APP_TEXT = re.compile(
    # an app object created at module level (a factory inside a def is not an entry point)
    r"^[A-Za-z_][\w.]*\s*(?::[^=\n]+)?=\s*(?:[\w.]+\.)?"
    r"(?:FastAPI|Flask|Starlette|Quart|Sanic|LitServer|ModelServer|Application)\(|"
    r"grpc\.(?:aio\.)?server\(|bentoml\.(?:Service\(|service)|serve\.deployment|"
    r"ModelServer\([^)\n]*\)\.start\(",
    re.M,
)
#: an app created anywhere in a module, an app factory's body included
_FACTORY_APP_TEXT = re.compile(
    r"^\s+\w+\s*(?::[^=\n]+)?=\s*(?:[\w.]+\.)?(?:FastAPI|Flask|Starlette|Quart|Sanic)\(", re.M
)
#: a Streamlit page (any `st.` call) or a Gradio/Panel app started in the module
_UI_APP_TEXT = re.compile(
    r"^\s*(?:import streamlit|from streamlit import)|"
    r"\.launch\(|\b(?:Interface|Blocks|ChatInterface)\(|\.servable\(",
    re.M,
)
_TRAIN_NAME = re.compile(
    r"(^|[/_.-])(train|training|trainer|fit|experiments?|tune|tuning)([/_.-]|$)"
)
_SERVE_NAME = re.compile(r"(serv|api|app|predict|infer|gateway|web)", re.I)
_WRAPPERS = frozenset(
    {"exec", "dumb-init", "tini", "--", "opentelemetry-instrument", "ddtrace-run", "env", "poetry"}
)


@dataclass
class Unit:
    kind: str  # "serving" | "training"
    name: str
    path: str  # where a unit-level finding points
    line: int
    entries: list[str] = field(default_factory=list)
    dockerfile: Dockerfile | None = None
    platform: str | None = None  # a model-server image (Triton, TF Serving...)
    reasons: list[str] = field(default_factory=list)
    closure: dict[str, tuple[str, int] | None] = field(default_factory=dict)

    def modules(self, ctx: Context) -> Iterator[PyModule]:
        for rel in self.closure:
            mod = ctx.modules.get(rel)
            if mod is not None:
                yield mod

    def imports_any(self, ctx: Context, prefixes: frozenset[str] | set[str]) -> bool:
        return any(m.imports_any(prefixes) for m in self.modules(ctx))

    def chain(self, rel: str) -> str:
        """`a.py -> b.py -> rel`: how rel is reached from an entry."""
        steps = [rel]
        while (parent := self.closure.get(steps[-1])) is not None and len(steps) < 20:
            steps.append(parent[0])
        return " -> ".join(reversed(steps))

    def anchor(self, ctx: Context) -> tuple[str, int]:
        """Where a unit-level finding points: the app creation line, else the unit's file."""
        for rel in self.entries:
            mod = ctx.modules.get(rel)
            if mod is not None:
                m = _APP_TEXT.search(mod.text) or _UI_APP_TEXT.search(mod.text)
                return rel, (mod.text.count("\n", 0, m.start()) + 1) if m else 1
        return self.path, self.line

    @property
    def label(self) -> str:
        if self.dockerfile is not None and self.entries:
            return f"{self.dockerfile.path} ({self.entries[0]})"
        return self.name

    def text(self, ctx: Context) -> str:
        """All source text of the unit's modules, lower-cased (for cheap keyword tests)."""
        return "\n".join(m.text for m in self.modules(ctx)).lower()


@dataclass
class Components:
    ctx: Context
    serving: list[Unit]
    training: list[Unit]
    training_modules: list[str]
    online_workloads: list[K8sObject]
    jobs: list[K8sObject]

    @cached_property
    def training_notebooks(self) -> list[str]:
        return [rel for rel, nb in self.ctx.notebooks.items() if _has_training(nb)]

    def model_loads(self, unit: Unit) -> list[tuple[PyModule, CallFact]]:
        return model_loads(self.ctx, unit)

    def model_serving(self) -> list[Unit]:
        """Serving units that load or hold a model (a gateway that only proxies does not),
        or front a model hosted for them (a Lambda calling a SageMaker endpoint)."""
        return [
            u
            for u in self.serving
            if u.platform or model_loads(self.ctx, u) or hosted_model_calls(self.ctx, u)
        ]

    @property
    def serving_dockerfiles(self) -> list[Unit]:
        return [u for u in self.serving if u.dockerfile is not None]

    @property
    def has_production_manifests(self) -> bool:
        return bool(self.online_workloads or self.jobs or self.ctx.compose_files)


def _has_training(mod: PyModule) -> bool:
    if not vocab.may_train(mod.text):
        return False
    return any(vocab.is_training_call(c.name) and c.attr != "partial_fit" for c in mod.calls)


def training_calls(mod: PyModule) -> list[CallFact]:
    if not vocab.may_train(mod.text):
        return []
    return [c for c in mod.calls if vocab.is_training_call(c.name)]


def trains_when_run(mod: PyModule) -> bool:
    """The module is also a training script: its `if __name__ == "__main__":` block calls
    training, directly or through a function or method defined in the module."""
    if "__main__" not in mod.text or not vocab.may_train(mod.text):
        return False
    trainers = {fn.name for fn in mod.functions if any(_trains(c) for c in fn.calls)}
    for stmt in mod.tree.body:
        if isinstance(stmt, ast.If) and "__main__" in ast.unparse(stmt.test):
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call):
                    name = dotted(node.func)
                    if vocab.is_training_call(name) or name.rsplit(".", 1)[-1] in trainers:
                        return True
    return False


def _trains(call: CallFact) -> bool:
    return vocab.is_training_call(call.name) and call.attr != "partial_fit"


def model_saves(mod: PyModule) -> list[CallFact]:
    """Calls that write a trained model to a file: `joblib.dump(clf, ...)`,
    `torch.save(model.state_dict(), ...)`, `model.save("m.h5")`, `save_pretrained`..."""
    if not vocab.SAVE_HINT.search(mod.text):
        return []
    out = []
    for call in mod.calls:
        if not vocab.MODEL_SAVE.search(call.name):
            continue
        args = [ast.unparse(a) for a in call.node.args]
        if call.attr in ("dump", "log_model") or call.name.startswith(("torch.", "jit.")):
            named = args[0] if args else ""  # joblib.dump(clf, ...), torch.save(model, ...)
        else:
            named = call.name.rsplit(".", 1)[0]  # model.save(...), clf.save_model(...)
        by_name = vocab.MODEL_NAME.search(named) and not vocab.NOT_A_MODEL.search(named)
        if by_name or any(vocab.MODEL_FILE_HINT.search(a.strip("'\"").lower()) for a in args):
            out.append(call)
    return out


def model_loads(ctx: Context, unit: Unit) -> list[tuple[PyModule, CallFact]]:
    out: list[tuple[PyModule, CallFact]] = []
    for mod in unit.modules(ctx):
        zoo = vocab.PRETRAINED_HINT.search(mod.text) and pretrained_builders(mod)
        if not zoo and not re.search(
            r"load|InferenceSession|from_pretrained|Booster|SentenceTransformer|pipeline",
            mod.text,
        ):
            continue
        # torch.load next to load_state_dict reads weights into a model built in code
        weights_only = ".load_state_dict(" in mod.text
        for call in mod.calls:
            if zoo and builds_pretrained(call, zoo):
                out.append((mod, call))
                continue
            if not vocab.MODEL_LOAD.search(call.name):
                continue
            if weights_only and call.name.endswith("torch.load"):
                continue
            if call.attr == "pipeline" and not call.name.startswith(("transformers", "pipeline")):
                continue
            if vocab.NOT_A_MODEL.search(call.name) or vocab.NOT_A_MODEL.search(
                _loaded_name(mod, call)
            ):
                continue
            out.append((mod, call))
    return out


def pretrained_builders(mod: PyModule) -> frozenset[str]:
    """Names through which a module reaches a model zoo (`MobileNetV2`, `models`, `timm`)."""

    def in_zoo(name: str) -> bool:
        return any(name == z or name.startswith(z + ".") for z in vocab.PRETRAINED_ZOOS)

    out: set[str] = set()
    for imp in mod.imports:
        if imp.level:
            continue
        if not imp.names and in_zoo(imp.module):
            out.add(imp.module.split(".")[0])
        out.update(n for n in imp.names if in_zoo(imp.module) or in_zoo(f"{imp.module}.{n}"))
    return frozenset(out)


def builds_pretrained(call: CallFact, names: frozenset[str]) -> bool:
    """`MobileNetV2(weights="imagenet")`, `models.resnet50(pretrained=True)`: a model zoo
    class built with downloaded weights is a model load, though no file is named."""
    head = call.name.split(".", 1)[0]
    if head not in names and ".applications." not in call.name:
        return False
    for kw in call.node.keywords:
        if kw.arg in ("weights", "pretrained"):
            value = kw.value
            return not (isinstance(value, ast.Constant) and value.value in (None, False, ""))
    return False


def hosted_model_calls(ctx: Context, unit: Unit) -> list[tuple[PyModule, CallFact]]:
    """Calls to a model deployed on a managed endpoint (SageMaker, Vertex AI)."""
    return [
        (mod, call)
        for mod in unit.modules(ctx)
        if "ndpoint" in mod.text
        for call in mod.calls
        if vocab.HOSTED_MODEL_CALL.search(call.name)
    ]


def _loaded_name(mod: PyModule, call: CallFact) -> str:
    """What a load names: its string literals (constants resolved), else its source.
    `config["MODEL_PATH"]` names MODEL_PATH, not a config."""
    arg = first_arg(call)
    if arg is None:
        return ""
    literals = string_literals(arg, module_constants(mod))
    return " ".join(literals) if literals else ast.unparse(arg)


#: numbered parts of one logical model (ensemble members, folds, weight shards)
_MEMBER_NUMBER = re.compile(
    r"(fold|member|seed|shard|part|split|cv|ckpt|checkpoint|epoch|run)([_-]?)\d+", re.I
)
_SHARD = re.compile(r"\d+-of-\d+")
CONFIGURED_MODEL = "<configured>"


def first_arg(call: CallFact) -> ast.expr | None:
    node = call.node
    if node.args:
        return node.args[0]
    for kw in node.keywords:
        if kw.arg in ("model_file", "path", "f", "model_path", "path_or_fileobj", "model"):
            return kw.value
    return None


def module_constants(mod: PyModule) -> dict[str, list[str]]:
    """Module-level `NAME = <expr>` -> the string literals in <expr> (`Path("m.pkl")` too)."""
    out: dict[str, list[str]] = {}
    for stmt in mod.tree.body if mod.tree is not None else []:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                out[target.id] = string_literals(stmt.value, {})
    return out


def string_literals(node: ast.AST, names: dict[str, list[str]]) -> list[str]:
    found: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.strip():
            if sub.value not in ("rb", "r", "wb", "w"):  # open() modes
                found.append(sub.value)
        elif isinstance(sub, ast.Name) and sub.id in names:
            found.extend(names[sub.id])
    return found


def model_key(mod: PyModule, call: CallFact) -> str:
    """What a load call loads: the file names or hub ids written in the code (module-level
    constants resolved), numbered members of one model (`fold1`/`fold2`, weight shards)
    folded into one. A load whose target comes from a parameter, setting or environment
    variable is one configured model, however many code paths lead to it."""
    arg = first_arg(call)
    if arg is None:
        zoo = any(kw.arg in ("weights", "pretrained") for kw in call.node.keywords)
        return call.attr if zoo else CONFIGURED_MODEL
    literals = string_literals(arg, module_constants(mod))
    names = [lit.rsplit("/", 1)[-1] for lit in literals if re.search(r"[\w-]{2}", lit)]
    if not names:
        return CONFIGURED_MODEL
    return _SHARD.sub("#", _MEMBER_NUMBER.sub(r"\1\2#", "/".join(names)))


# -- commands -----------------------------------------------------------------------
def _words(words: list[str]) -> list[str]:
    """Unwrap `sh -c "..."`, exec, tini and friends."""
    out = list(words)
    if len(out) >= 3 and os.path.basename(out[0]) in ("sh", "bash") and out[1] == "-c":
        try:
            out = shlex.split(out[2])
        except ValueError:
            out = out[2].split()
    while out and (os.path.basename(out[0]) in _WRAPPERS or out[0] in ("run", "-g")):
        out = out[1:]
    return out


def classify_command(ctx: Context, words: list[str]) -> tuple[str | None, list[str], str]:
    """(kind, entry modules, reason) for a container command."""
    words = _words(words)
    if not words:
        return None, [], ""
    head = os.path.basename(words[0])
    entries: list[str] = []
    for w in words[1:]:
        if re.fullmatch(r"[A-Za-z_][\w.]*:[\w.()]+", w):
            rel = _resolve_module(ctx, w.split(":")[0])
            if rel:
                entries.append(rel)
    if head in vocab.SERVER_COMMANDS:
        return "serving", entries, f"command runs {head}"
    if head in vocab.UI_APP_COMMANDS or (
        head.startswith("python") and words[1:3] == ["-m", "streamlit"]
    ):
        rest = words[1:] if head in vocab.UI_APP_COMMANDS else words[3:]
        script = next((w for w in rest if w.endswith(".py")), None)
        target = _resolve_path(ctx, script) if script else None
        return "serving", [target] if target else entries, f"command runs {head} (a UI app)"
    joined = " ".join(words)
    if re.search(
        r"\b(bentoml serve|serve run|mlflow models serve|fastapi run|flask .*run)\b", joined
    ):
        return "serving", entries, "command starts a model server"
    target = None
    if head.startswith("python"):
        if len(words) > 2 and words[1] == "-m":
            if words[2] in vocab.SERVER_COMMANDS:
                return "serving", entries, f"command runs {words[2]}"
            target = _resolve_module(ctx, words[2])
        elif len(words) > 1 and words[1].endswith(".py"):
            target = _resolve_path(ctx, words[1])
    elif head.endswith(".py"):
        target = _resolve_path(ctx, words[0])
    if target:
        mod = ctx.modules.get(target)
        if mod is not None and _creates_app(ctx, mod):
            return "serving", [target], f"command runs {target}, a web app"
        if _TRAIN_NAME.search(target.lower()) or (mod is not None and _has_training(mod)):
            return "training", [target], f"command runs {target}, which trains"
        return None, [target], ""
    if _TRAIN_NAME.search(joined.lower()):
        return "training", [], "command mentions training"
    return None, entries, ""


def _creates_app(ctx: Context, mod: PyModule) -> bool:
    """A module a command runs creates a web app: at module level, or in an app factory
    (`def create_app(): app = Flask(...)`) with the framework imported here or through an
    in-repo wrapper module."""
    if mod.imports_any(vocab.SERVING_IMPORTS) and _APP_TEXT.search(mod.text):
        return True
    if mod.imports_any(vocab.UI_APP_IMPORTS) and _UI_APP_TEXT.search(mod.text):
        return True
    if not _FACTORY_APP_TEXT.search(mod.text):
        return False
    return any(
        m.imports_any(vocab.SERVING_IMPORTS)
        for rel in ctx.closure([mod.path])
        if (m := ctx.modules.get(rel)) is not None
    )


def _resolve_module(ctx: Context, dotted_name: str) -> str | None:
    index = ctx.module_index
    if dotted_name in index:
        return index[dotted_name]
    main = f"{dotted_name}.__main__"
    return index.get(main)


def _resolve_path(ctx: Context, path: str) -> str | None:
    path = path.lstrip("./")
    if path in ctx.modules:
        return path
    for rel in ctx.modules:
        if rel.endswith("/" + path):
            return rel
    return None


# -- detection ------------------------------------------------------------------------
def _excluded(ctx: Context, rel: str) -> bool:
    return is_test_path(rel) or ctx.matches(rel, ctx.cfg.component_exclude)


def _dockerfile_units(ctx: Context, only: list[str] | None = None) -> list[Unit]:
    units = []
    for rel, df in sorted(ctx.dockerfiles.items()):
        if _excluded(ctx, rel) or (only is not None and rel not in only) or df.final is None:
            continue
        words, line = df.command()
        kind, entries, reason = classify_command(ctx, words)
        if kind is None:
            for service, cmd in _compose_commands(ctx, rel):
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
            kind = "training" if _TRAIN_NAME.search(role) else "serving"
        if kind is None and role and _SERVE_NAME.search(role) and words:
            kind, reason = "serving", f"serving Dockerfile ({name})"
        if kind is None and role and _TRAIN_NAME.search(role):
            kind, reason = "training", f"training Dockerfile ({name})"
        if kind is None:
            continue
        unit = Unit(kind, rel, rel, line, entries, df, platform, [reason])
        unit.closure = ctx.closure(entries)
        units.append(unit)
    return units


def _compose_commands(ctx: Context, dockerfile: str) -> Iterator[tuple[str, list[str]]]:
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
            serving += _serverless_units(ctx, serving)
            serving += _platform_units(ctx)
        if not cfg.training:
            training = [u for u in auto if u.kind == "training"]

    if cfg.training:
        training_modules = sorted({rel for u in training for rel in u.closure})
    else:
        training_modules = [
            m.path for m in ctx.source_modules() if not _excluded(ctx, m.path) and _has_training(m)
        ]
        covered = {rel for u in training for rel in u.entries}
        for rel in training_modules:
            if rel not in covered:
                unit = Unit("training", rel, rel, 1, [rel], reasons=["calls training APIs"])
                unit.closure = ctx.closure([rel])
                training.append(unit)
    online, jobs = _workloads(ctx)
    return Components(ctx, serving, training, training_modules, online, jobs)


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
        if rel in covered or _excluded(ctx, rel):
            continue
        if mod.imports_any(vocab.SERVING_IMPORTS) and (m := _APP_TEXT.search(mod.text)):
            reason = "creates a web/RPC app"
        elif mod.imports_any(vocab.UI_APP_IMPORTS) and (m := _UI_APP_TEXT.search(mod.text)):
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


def _command_lines(ctx: Context) -> Iterator[tuple[str, int, str]]:
    """(file, line, command) for each line of a Procfile, Makefile, shell script or README
    code that could start a process: how apps are deployed when there is no Dockerfile."""
    for f in ctx.files:
        name = f.rel.rsplit("/", 1)[-1].lower()
        is_readme = f.kind == "markdown" and name.startswith("readme")
        if not (
            name in ("procfile", "makefile", "justfile")
            or name.endswith(".sh")
            or is_readme
            or (f.rel.startswith(("bin/", "scripts/")) and "." not in name)
        ) or _excluded(ctx, f.rel):
            continue
        text = ctx.text(f.rel)
        if not text:
            continue
        for n, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip().lstrip("$> \t")
            if name == "procfile":
                line = line.split(":", 1)[1] if ":" in line else ""
            for part in re.split(r"&&|;|\|\|", line):
                if part.strip():
                    yield f.rel, n, part.strip()


def _command_units(ctx: Context, existing: list[Unit]) -> list[Unit]:
    covered = {rel for u in existing for rel in u.closure}
    units: list[Unit] = []
    for rel, _line, command in _command_lines(ctx):
        if not vocab.SERVE_COMMAND_HINT.search(command):
            continue
        try:
            words = shlex.split(command)
        except ValueError:
            continue
        kind, entries, reason = classify_command(ctx, words)
        entries = [e for e in entries if e not in covered and not _excluded(ctx, e)]
        if kind != "serving" or not entries:
            continue
        unit = Unit("serving", entries[0], entries[0], 1, entries, reasons=[f"{rel}: {reason}"])
        unit.closure = ctx.closure(entries)
        covered.update(unit.closure)
        units.append(unit)
    return units


#: events that make a function answer requests online (not a schedule or a queue)
_ONLINE_EVENTS = frozenset({"http", "httpApi", "alb", "websocket", "Api", "HttpApi"})
_SAM_FUNCTION = re.compile(r"^\s*Type:\s*['\"]?AWS::Serverless::Function", re.M)


def _serverless_units(ctx: Context, existing: list[Unit]) -> list[Unit]:
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
            if rel not in ctx.modules or rel in covered or _excluded(ctx, rel):
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


def _platform_units(ctx: Context) -> list[Unit]:
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


def _workloads(ctx: Context) -> tuple[list[K8sObject], list[K8sObject]]:
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
