"""How processes are started: container and compose commands, Procfiles, Makefiles,
scripts and README code blocks, classified as serving or training."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from itertools import pairwise

from mlsd.check import vocab
from mlsd.check.context import Context
from mlsd.check.pyfacts import PyModule
from mlsd.check.training import has_training
from mlsd.check.units import excluded

_WRAPPERS = frozenset(
    {"exec", "dumb-init", "tini", "--", "opentelemetry-instrument", "ddtrace-run", "env", "poetry"}
)
# Server options whose value is an import string too, not the app (`uvicorn app:app --http
# pkg.proto:Protocol`, `gunicorn -k pkg.workers:Worker app:app`).
_IMPORT_STRING_OPTIONS = frozenset({"--http", "--ws", "--loop", "-k", "--worker-class"})


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
    for before, w in pairwise(words):
        if before in _IMPORT_STRING_OPTIONS:
            continue
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
        if vocab.TRAIN_NAME.search(target.lower()) or (mod is not None and has_training(mod)):
            return "training", [target], f"command runs {target}, which trains"
        return None, [target], ""
    if vocab.TRAIN_NAME.search(joined.lower()):
        return "training", [], "command mentions training"
    return None, entries, ""


def _creates_app(ctx: Context, mod: PyModule) -> bool:
    """A module a command runs creates a web app: at module level, or in an app factory
    (`def create_app(): app = Flask(...)`) with the framework imported here or through an
    in-repo wrapper module."""
    if mod.imports_any(vocab.SERVING_IMPORTS) and vocab.APP_TEXT.search(mod.text):
        return True
    if mod.imports_any(vocab.UI_APP_IMPORTS) and vocab.UI_APP_TEXT.search(mod.text):
        return True
    if not vocab.FACTORY_APP_TEXT.search(mod.text):
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


def command_lines(ctx: Context) -> Iterator[tuple[str, int, str]]:
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
        ) or excluded(ctx, f.rel):
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
