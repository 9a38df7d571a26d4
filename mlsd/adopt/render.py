"""An adopted repository as mlsd wants it: its folder, and the blocks in the shared files.

The folder (`Adopted.folder`) is rendered from `templates/adopted/` (what every adopted folder
gets once it has a pattern) and each chosen pattern's `adopted/` folder, with the same rules
as `mlsd new` (Jinja2 `.j2` files, `__package__` paths, `contributes:` merged as data); every
path is put under the folder. The shared files come from `mlsd.adopt.shared`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from mlsd import __version__, paths
from mlsd.adopt.options import Adopted
from mlsd.adopt.resolve import MANIFEST, adopted_folder
from mlsd.adopt.shared import Shared, plan_shared
from mlsd.catalog import Catalog, load_yaml, parse_yaml
from mlsd.contributions import merge_contributions
from mlsd.errors import InternalError
from mlsd.render import PACKAGE_TOKEN, Source, _environment, validate_contributes
from mlsd.render_paths import source_files
from mlsd.resolver import Resolution

BASE = "adopted"  # templates/adopted: what every adopted folder gets
LINE_LENGTH = 100  # templates/adopted/files/pyproject.toml.j2's ruff line-length


def string_assignment(name: str, value: str, line_length: int = LINE_LENGTH) -> str:
    """`NAME = "value"` laid out as `ruff format` lays it out, whatever the value's length.

    Ruff wraps a too-long right-hand side in parentheses only when that makes it fit, and a
    line that still does not fit gets `# noqa: E501` (a recorded command holds an absolute
    interpreter path, as long as the machine makes it).
    """
    literal = json.dumps(value)  # a JSON string is a Python string literal too
    line = f"{name} = {literal}"
    if len(line) <= line_length:
        return line
    inner = f"    {literal}"
    if len(inner) <= line_length:
        return f"{name} = (\n{inner}\n)"
    return f"{line}  # noqa: E501"


@dataclass
class Rendered:
    files: dict[str, bytes]  # everything mlsd wants: the folder and the shared files
    base: dict[str, bytes]  # shared files met for the first time: the user's bytes, as base
    notes: list[str]


def _sources(catalog: Catalog, resolution: Resolution, root: Path) -> list[Source]:
    if not resolution.patterns:
        return []
    out = [Source("adopted", root / BASE, "component.yaml", root)]
    for pid in resolution.patterns:
        folder = adopted_folder(catalog.entries[pid])
        out.append(Source(pid, folder, MANIFEST, root))
    return out


def context(
    catalog: Catalog, resolution: Resolution, project: dict[str, str], adopted: Adopted
) -> dict[str, Any]:
    root = paths.TEMPLATES_DIR
    chosen = set(resolution.patterns)
    ctx: dict[str, Any] = {
        "project": project,
        "package": adopted.package,
        "patterns": list(resolution.patterns),
        "has": lambda pid: pid in chosen,
        "upstream": adopted.upstream or "",
        "predict_path": adopted.predict_path,
        "dir": adopted.folder,
        "sample": json.dumps(adopted.sample if adopted.sample is not None else {}),
        "upstream_command": adopted.upstream_command or "",
        "recorded_command": string_assignment("RECORDED_COMMAND", adopted.upstream_command or ""),
        "versions": load_yaml(root / "versions.yaml"),
        "mlsd_version": __version__,
    }
    env = _environment((root,))
    contributions = []
    for source in _sources(catalog, resolution, root):
        manifest = source.folder / source.manifest
        if not manifest.is_file():
            continue
        rel = source.template_name(manifest)
        data = parse_yaml(env.get_template(rel).render(ctx)) or {}
        contributes = data.get("contributes") or {}
        validate_contributes(contributes, rel, root)
        contributions.append((source.name, contributes))
    ctx["c"] = merge_contributions(contributions)
    return ctx


def render_folder(
    catalog: Catalog, resolution: Resolution, ctx: dict[str, Any]
) -> dict[str, bytes]:
    root = paths.TEMPLATES_DIR
    env = _environment((root,))
    tree: dict[str, bytes] = {}
    for source in _sources(catalog, resolution, root):
        files_dir = source.folder / "files"
        for file in source_files(source.folder):
            rel = file.relative_to(files_dir).as_posix().replace(PACKAGE_TOKEN, ctx["package"])
            if rel.endswith(".j2"):
                rel = rel[: -len(".j2")]
                try:
                    data = env.get_template(source.template_name(file)).render(ctx).encode()
                except jinja2.TemplateError as exc:
                    raise InternalError(f"template {source.template_name(file)}: {exc}") from exc
                if not data.strip():
                    continue
            else:
                data = file.read_bytes()
            rel = f"{ctx['dir']}/{rel}"
            if rel in tree:
                raise InternalError(f"{source.name} emits {rel} a second time")
            tree[rel] = data
    return tree


def _blocks(ctx: dict[str, Any], folder: dict[str, bytes]) -> dict[str, Any]:
    """The lines of each shared file's block, given that file's parsed content."""
    d, version = ctx["dir"], ctx["mlsd_version"]
    compose = f"{d}/compose.yaml" in folder

    def compose_lines(_data: dict) -> list[str]:
        return ["include:", f"  - {d}/compose.yaml"] if compose else []

    def workflow_lines(data: dict) -> list[str]:
        jobs = data.get("jobs") if isinstance(data.get("jobs"), dict) else {}
        job = "mlsd" if "mlsd" not in jobs else "mlsd-adopted"
        lines = [
            f"{job}:",
            "  runs-on: ubuntu-latest",
            "  steps:",
            "    - uses: actions/checkout@v4",
            "    - uses: actions/setup-python@v5",
            "      with:",
            '        python-version: "3.12"',
            "    - name: mlsd check (ML-system antipatterns)",
            f'      run: pip install "mlsd=={version}" && mlsd check .',
        ]
        if ctx["patterns"]:
            command = ctx["upstream_command"]
            lines += [
                f"    - name: {d} tests (against your service, started by UPSTREAM_COMMAND)",
                f'      run: pip install "./{d}[test]" && python -m pytest {d} -q',
            ]
            if command:  # a JSON string is a YAML double-quoted scalar
                lines += [
                    "      # runs in the top folder: install what your service needs before",
                    "      env:",
                    f"        UPSTREAM_COMMAND: {json.dumps(command)}",
                ]
        return lines

    def pre_commit_lines(_data: dict) -> list[str]:
        return [
            "- repo: local",
            "  hooks:",
            "    - id: mlsd-check",
            "      name: mlsd check (ML-system antipatterns)",
            "      entry: mlsd check",
            "      language: python",
            f'      additional_dependencies: ["mlsd=={version}"]',
            "      pass_filenames: false",
            "      always_run: true",
        ]

    return {"compose": compose_lines, "workflow": workflow_lines, "pre-commit": pre_commit_lines}


def render_adopted(
    catalog: Catalog,
    resolution: Resolution,
    project: dict[str, str],
    adopted: Adopted,
    root: Path,
    base: dict[str, bytes],
) -> Rendered:
    ctx = context(catalog, resolution, project, adopted)
    folder = render_folder(catalog, resolution, ctx)
    shared: Shared = plan_shared(root, base, _blocks(ctx, folder))
    return Rendered({**folder, **shared.files}, shared.base, shared.notes)
