"""Repository-level facts shared by several rules (computed on demand from the Context)."""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass

from mlsd.check.context import Context, is_test_path
from mlsd.check.deps import (
    LOCK_FILES,
    Requirement,
    parse_pyproject_deps,
    parse_requirement,
    parse_requirements_txt,
)
from mlsd.check.dockerfile import Dockerfile, Stage
from mlsd.check.units import Unit

_VENV_PATHS = re.compile(r"venv|site-packages|wheel|/install|\.local|/usr/local|/opt/", re.I)
_SERVING_EXTRA = re.compile(r"^(serv|serving|serve|server|api|inference|app|prod|web)$", re.I)
_SERVING_REQ = re.compile(r"(serv|api|inference|prod|deploy)", re.I)


@dataclass(frozen=True)
class Install:
    kind: str  # "file" | "project" | "package"
    value: str  # path, extras (comma list) or package spec
    line: int
    dockerfile: str


def _install_words(run: str) -> list[list[str]]:
    """The argument lists of every pip/uv/poetry install in a RUN command."""
    out: list[list[str]] = []
    for part in re.split(r"&&|\|\||;|\|", run):
        try:
            words = shlex.split(part)
        except ValueError:
            words = part.split()
        for i, w in enumerate(words):
            base = posixpath.basename(w)
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if base.startswith("pip") and nxt == "install":
                out.append(words[i + 2 :])
                break
            if base == "uv" and nxt in ("pip", "sync", "add"):
                out.append(words[i + 3 :] if nxt == "pip" else ["--uv-sync", *words[i + 2 :]])
                break
            if base == "poetry" and nxt == "install":
                out.append(["--poetry", *words[i + 2 :]])
                break
    return out


def stage_installs(df: Dockerfile, stage: Stage) -> list[Install]:
    out: list[Install] = []
    for ins in stage.ops("RUN"):
        for words in _install_words(ins.args):
            project_style = words[:1] in (["--uv-sync"], ["--poetry"])
            extras: list[str] = []
            it = iter(words[1:] if project_style else words)
            for w in it:
                if w in ("-r", "--requirement", "-c", "--constraint"):
                    out.append(Install("file", next(it, ""), ins.line, df.path))
                elif w.startswith(("--requirement=", "-r")) and len(w) > 2 and "=" in w:
                    out.append(Install("file", w.split("=", 1)[1], ins.line, df.path))
                elif w in ("--extra", "--extras", "-E", "--with", "--group"):
                    extras.append(next(it, ""))
                elif w.startswith("-"):
                    continue
                elif re.match(r"^[./]", w):
                    m = re.search(r"\[([^\]]*)\]", w)
                    if not w.endswith((".whl", ".tar.gz")):
                        out.append(Install("project", m.group(1) if m else "", ins.line, df.path))
                elif not project_style:
                    out.append(Install("package", w, ins.line, df.path))
            if project_style:
                out.append(Install("project", ",".join(extras), ins.line, df.path))
    return out


def final_installs(df: Dockerfile) -> list[Install]:
    """Installs that end up in the final image: the final stage and its parents, plus
    stages whose environment (a venv, site-packages, wheels) the final stage copies."""
    final = df.final
    if final is None:
        return []
    stages = list(df.lineage(final))
    for copy in final.copies:
        if copy.from_stage and any(_VENV_PATHS.search(s) for s in copy.sources):
            src = df.stage(copy.from_stage)
            if src is not None:
                stages.extend(df.lineage(src))
    seen: set[int] = set()
    out: list[Install] = []
    for s in stages:
        if s.index not in seen:
            seen.add(s.index)
            out.extend(stage_installs(df, s))
    return out


def _find_file(ctx: Context, ref: str, dockerfile: str) -> str | None:
    ref = ref.lstrip("./") if ref.startswith("./") else ref.lstrip("/")
    candidates = [ref, posixpath.join(posixpath.dirname(dockerfile), ref)]
    for c in candidates:
        if c in ctx.by_path:
            return c
    for f in ctx.files:
        if f.rel.endswith("/" + ref):
            return f.rel
    base = ref.rsplit("/", 1)[-1]
    same = [f.rel for f in ctx.files if f.rel.rsplit("/", 1)[-1] == base]
    return same[0] if len(same) == 1 else None


def requirements_file(ctx: Context, rel: str, depth: int = 0) -> list[Requirement]:
    text = ctx.text(rel)
    if text is None or depth > 5:
        return []
    reqs, includes = parse_requirements_txt(rel, text)
    for inc in includes:
        target = _find_file(ctx, inc, rel)
        if target:
            reqs.extend(requirements_file(ctx, target, depth + 1))
    return reqs


def pyproject_requirements(ctx: Context) -> dict[str, list[Requirement]]:
    out = {}
    for rel, data in ctx.pyprojects.items():
        text = ctx.text(rel) or ""
        out[rel] = parse_pyproject_deps(rel, text, data)
    return out


def serving_requirements(ctx: Context, unit: Unit) -> list[Requirement]:
    """Requirements installed into a serving unit (from its Dockerfile, or by naming)."""
    out: list[Requirement] = []
    if unit.dockerfile is not None:
        for inst in final_installs(unit.dockerfile):
            if inst.kind == "file":
                target = _find_file(ctx, inst.value, inst.dockerfile)
                if target:
                    out.extend(requirements_file(ctx, target))
            elif inst.kind == "project":
                wanted = {e.strip() for e in inst.value.split(",") if e.strip()}
                for reqs in pyproject_requirements(ctx).values():
                    out.extend(r for r in reqs if r.group == "" or r.group in wanted)
        return out
    for f in ctx.by_kind["requirements"]:
        if _SERVING_REQ.search(f.rel.rsplit("/", 1)[-1]) and not is_test_path(f.rel):
            out.extend(requirements_file(ctx, f.rel))
    for reqs in pyproject_requirements(ctx).values():
        out.extend(r for r in reqs if r.group and _SERVING_EXTRA.match(r.group))
    return out


def direct_packages(install: Install) -> Requirement | None:
    return parse_requirement(install.value, install.line, install.dockerfile)


# -- review surface, CI, owners, mesh, load tests ---------------------------------------
def ci_files(ctx: Context) -> list[str]:
    return [
        f.rel
        for f in ctx.files
        if f.rel.startswith((".github/workflows/", ".circleci/", ".buildkite/"))
        or f.rel in (".gitlab-ci.yml", "Jenkinsfile", "azure-pipelines.yml", ".drone.yml")
        or f.rel.startswith(".tekton/")
        or f.rel == "bitbucket-pipelines.yml"
    ]


def pr_ci_files(ctx: Context) -> list[str]:
    """CI definitions that run on pull/merge requests."""
    out = []
    for rel in ci_files(ctx):
        text = ctx.text(rel) or ""
        if rel.startswith(".github/workflows/"):
            if re.search(r"pull_request|merge_group", text):
                out.append(rel)
        elif rel == ".gitlab-ci.yml":
            if "merge_request" in text or "rules:" not in text:
                out.append(rel)
        elif rel == "azure-pipelines.yml":
            if re.search(r"^pr:", text, re.M) or "pr:" not in text:
                out.append(rel)
        else:
            out.append(rel)
    return out


def codeowners(ctx: Context) -> list[str]:
    return [
        r
        for r in ctx.named("CODEOWNERS", "OWNERS", "OWNERS.md", "MAINTAINERS", "MAINTAINERS.md")
        if r.count("/") <= 1
    ] + ctx.named("catalog-info.yaml", "catalog-info.yml")


def pr_templates(ctx: Context) -> list[str]:
    return [
        f.rel
        for f in ctx.files
        if "pull_request_template" in f.rel.lower() or "merge_request_templates" in f.rel.lower()
    ]


def mesh_present(ctx: Context) -> bool:
    kinds = {"VirtualService", "DestinationRule", "ServiceProfile", "TrafficSplit", "HTTPRoute"}
    if any(o.kind in kinds for o in ctx.k8s_objects):
        return True
    for o in ctx.k8s_objects:
        text = str(o.doc)
        if "sidecar.istio.io" in text or "linkerd.io/inject" in text:
            return True
    return False


_LOAD_DIRS = frozenset({"loadtest", "load-test", "load_test", "loadtests", "perf", "k6"})


def load_test_files(ctx: Context) -> list[str]:
    out = []
    for f in ctx.files:
        name = f.rel.rsplit("/", 1)[-1].lower()
        parts = f.rel.lower().split("/")[:-1]
        if (
            name.startswith(("locustfile", "artillery"))
            or name.endswith(".jmx")
            or name == "vegeta.txt"
            or "ghz" in name
            or any(p in _LOAD_DIRS for p in parts)
            or (name.endswith((".js", ".ts")) and "k6" in (ctx.text(f.rel) or "")[:2000])
        ):
            out.append(f.rel)
    return out


def lock_files(ctx: Context) -> list[str]:
    return [
        f.rel
        for f in ctx.files
        if f.rel.rsplit("/", 1)[-1].lower() in LOCK_FILES
        or (
            re.search(r"(requirements|constraints)[\w.-]*\.(lock|txt)$", f.rel.lower())
            and "lock" in f.rel.lower()
        )
        or re.search(r"constraints[\w.-]*\.txt$", f.rel.lower())
    ]


MODEL_CARD = re.compile(r"(^|/)(model[_-]?card|modelcard)[\w.-]*$", re.I)


def model_cards(ctx: Context) -> list[str]:
    return [f.rel for f in ctx.files if MODEL_CARD.search(f.rel)]


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$|^(.+)\n[=\-~^]{3,}\s*$", re.M)


def headings(text: str) -> list[str]:
    return [(m.group(2) or m.group(3) or "").strip() for m in _HEADING.finditer(text)]
