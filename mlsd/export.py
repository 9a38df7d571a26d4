"""`mlsd export copier DEST`: one fixed combination of patterns as a copier template.

The project is rendered with placeholder answers and turned into template files
(`mlsd.copier_template`); `copier copy` of the result gives byte for byte what `mlsd new`
gives for the same set and name, without `.mlsd/` (copier records its own answers in
`.copier-answers.yml` and owns later updates). A second render under other placeholder
answers (the longest name allowed) must give the same template: a template that uses an
answer in a way the export cannot express is refused, never exported wrong.

The template folder: `copier.yml` (the questions; `_subdirectory: template`) and
`template/` (the project's files). mlsd does not import copier for any of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd import __version__
from mlsd.api import NewRequest, render_project, resolve_request, target_busy, write_tree
from mlsd.copier_template import SUFFIX, ExportError, to_template
from mlsd.errors import UsageError
from mlsd.render import MAX_NAME, YAML_WORDS, Project, reserved_packages
from mlsd.resolver import Resolution
from mlsd.state import STATE_DIR

SUBDIR = "template"
CONFIG = "copier.yml"
ANSWERS_TEMPLATE = f"{SUBDIR}/{{{{ _copier_conf.answers_file }}}}{SUFFIX}"
# Written by copier into every project: the answers `copier update` needs. JSON values are
# YAML, so no YAML filter (copier has none built in) is needed.
ANSWERS_BODY = (
    "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
    "{% for key, value in _copier_answers.items() %}{{ key }}: {{ value | tojson }}\n"
    "{% endfor %}"
)
# Two sets of placeholder answers: the template comes from the first, the second proves it.
PLACEHOLDERS = (
    Project("zq-mlsd-export-name", "Zq mlsd export description placeholder."),
    Project(
        ("zw-mlsd-export-check-" + "x" * MAX_NAME)[:MAX_NAME],
        "Zw mlsd export second placeholder: a longer description, to prove the template.",
    ),
)
EXPRESSION = re.compile(r"\{\{-?\s*(.+?)\s*-?\}\}")
ANSWER_NAMES = {
    r"\bproject\.name\b": "project_name",
    r"\bproject\.description\b": "project_description",
    r"\bproject\.package\b": "project_package",
    r"(?<![.\w])package\b": "project_package",
}


@dataclass
class ExportResult:
    """An exported template, planned in memory; `.apply()` writes it."""

    target: Path
    project: Project
    resolution: Resolution
    tree: dict[str, bytes] = field(repr=False)
    busy: bool = False
    stale: list[str] = field(default_factory=list)  # old template files a re-export removes
    written: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": str(self.target),
            "format": "copier",
            "project": self.project.to_dict(),
            **self.resolution.to_dict(),
            "files": sorted(self.tree),
            "removed": self.stale,
            "written": self.written,
        }

    def apply(self) -> ExportResult:
        if not self.written:
            write_tree(self.target, self.tree, list(self.tree) if self.busy else None, self.stale)
            self.written = True
        return self


def plan_export(target: Path, request: NewRequest, *, force: bool = False) -> ExportResult:
    """Resolve the set like `mlsd new`, and build its copier template in memory."""
    target = target.expanduser().resolve()
    project, requested, resolution = resolve_request(target, request)
    busy = target_busy(target, force)
    files = _template_files(resolution, requested)
    tree = {CONFIG: copier_yml(project, resolution), ANSWERS_TEMPLATE: ANSWERS_BODY.encode()}
    tree.update({f"{SUBDIR}/{rel}": data for rel, data in files.items()})
    stale: list[str] = []
    if busy and (target / SUBDIR).is_dir():  # a re-export: the template folder is ours whole
        old = (p.relative_to(target).as_posix() for p in (target / SUBDIR).rglob("*"))
        stale = sorted(rel for rel in old if (target / rel).is_file() and rel not in tree)
    return ExportResult(target, project, resolution, tree, busy, stale)


def _template_files(resolution: Resolution, requested: tuple[str, ...]) -> dict[str, bytes]:
    trees = [_project_tree(p, resolution, requested) for p in PLACEHOLDERS]
    derived = _derived_expressions(resolution)
    templates = []
    for placeholder, tree in zip(PLACEHOLDERS, trees, strict=True):
        try:
            templates.append(to_template(tree, _values(placeholder, derived)))
        except ExportError as exc:
            raise UsageError(f"cannot export this set: {exc}") from None
    first, second = templates
    differ = sorted(set(first) ^ set(second)) or [p for p in first if first[p] != second[p]]
    if differ:
        raise UsageError(
            f"cannot export this set: {differ[0]} uses the project name or description in a "
            "way a copier template cannot reproduce",
            hint="render it with `mlsd new` instead, or report the template",
        )
    return first


def _project_tree(
    project: Project, resolution: Resolution, requested: tuple[str, ...]
) -> dict[str, bytes]:
    tree = render_project(project, resolution, requested)
    return {p: d for p, d in tree.items() if not p.startswith(f"{STATE_DIR}/")}


def _values(project: Project, derived: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(rendered text, copier expression) for every way the answers appear in files."""
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    values = {
        project.name: "project_name",
        project.package: "project_package",
        project.description: "project_description",
    }
    for source, translated in derived:
        text = env.compile_expression(source)(project=project.to_dict(), package=project.package)
        values.setdefault(str(text), translated)
    return list(values.items())


def _derived_expressions(resolution: Resolution) -> list[tuple[str, str]]:
    """Template expressions that transform an answer (e.g. cut it to 40 characters), as
    (mlsd expression, copier expression); plain uses need no entry."""
    import jinja2

    from mlsd import paths
    from mlsd.catalog import load_catalog
    from mlsd.render import sources_for, template_roots

    catalog = load_catalog()
    roots = template_roots(catalog, paths.TEMPLATES_DIR)
    folders = [s.folder for s in sources_for(catalog, resolution, paths.TEMPLATES_DIR)]
    folders += [r / "_macros" for r in roots]
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    found: dict[str, str] = {}
    for folder in folders:
        for file in sorted(folder.rglob("*.j2")) if folder.is_dir() else ():
            text = file.read_text(encoding="utf-8", errors="replace")
            for source in EXPRESSION.findall(text):
                translated = _translate(source)
                if translated is None or translated in ANSWER_NAMES.values():
                    continue
                try:
                    compiled = env.compile_expression(source)
                    compiled(project=PLACEHOLDERS[0].to_dict(), package="x")
                except (jinja2.TemplateError, TypeError, ValueError):
                    continue  # needs more than the answers (a macro, a loop variable)
                found[source] = translated
    return sorted(found.items())


def _translate(source: str) -> str | None:
    """An mlsd expression over the project answers, in copier's answer names; None when it
    does not use an answer or uses anything else of mlsd's context."""
    out = source
    for pattern, name in ANSWER_NAMES.items():
        out = re.sub(pattern, name, out)
    if out == source or re.search(r"\bproject\b", out):
        return None
    return out


def copier_yml(project: Project, resolution: Resolution) -> bytes:
    """The questions, with the project's name and description as defaults, and copier's
    settings for this template."""
    import yaml

    reserved = sorted(n for n in reserved_packages() if re.fullmatch(r"[a-z][a-z0-9_]*", n))
    settings: dict[str, Any] = {
        "_min_copier_version": "9.0.0",
        "_subdirectory": SUBDIR,
        "_templates_suffix": SUFFIX,
        "project_name": {
            "type": "str",
            "help": "Project name (lower-case letters, digits and single dashes; it names "
            "the Python package, images and Kubernetes labels)",
            "default": project.name,
            "validator": _name_validator(reserved),
        },
        "project_description": {
            "type": "str",
            "help": "One line on what the project predicts",
            "default": project.description,
            "validator": DESCRIPTION_VALIDATOR,
        },
        "project_package": {
            "type": "str",
            "help": "The Python package (derived from the name, not asked)",
            "default": "{{ project_name | replace('-', '_') }}",
            "when": False,
        },
    }
    patterns = ", ".join(resolution.patterns)
    header = (
        f"# A copier template exported by mlsd {__version__} (`mlsd export copier`).\n"
        f"# Patterns: {patterns}\n"
        "# Use it: copier copy PATH-OR-GIT-URL my-project; update a project made from it with\n"
        "# `copier update` once a new version of this template is committed and tagged.\n"
        "# Files under template/ are the project's own; those ending in .jinja depend on the\n"
        "# answers. Re-export (mlsd export copier DEST --force) rather than edit by hand.\n"
    )
    body = yaml.dump(settings, Dumper=_dumper(), sort_keys=False, width=100, allow_unicode=True)
    return (header + body).encode("utf-8")


def _dumper() -> type:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Multi-line strings (the validators) as literal blocks, readable and editable."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return Dumper


def _name_validator(reserved: list[str]) -> str:
    import textwrap

    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ", ".join(f"'{w}'" for w in sorted(YAML_WORDS))
    names = textwrap.fill(", ".join(f"'{n}'" for n in reserved), width=88)
    return (
        "{% set pkg = project_name | replace('-', '_') %}\n"
        f"{{% if not project_name or project_name | length > {MAX_NAME} %}}\n"
        f"the name must have 1 to {MAX_NAME} characters\n"
        f"{{% elif project_name[0] not in '{letters}'\n"
        f"   or project_name.lstrip('{letters}0123456789-')\n"
        "   or project_name.endswith('-') or '--' in project_name %}\n"
        "use lower-case letters, digits and single dashes, starting with a letter\n"
        f"{{% elif project_name in [{words}] %}}\n"
        "YAML reads this name as a boolean or null: choose another\n"
        f"{{% elif pkg in [\n{names}] %}}\n"
        "its package {{ pkg }} would shadow Python, a dependency or a project folder\n"
        "{% endif %}"
    )


DESCRIPTION_VALIDATOR = (
    "{% if not project_description or project_description | length > 200\n"
    "   or project_description != project_description.split() | join(' ') %}\n"
    "one line of at most 200 characters, single spaces\n"
    "{% elif '\"' in project_description or '\\\\' in project_description\n"
    "   or '`' in project_description or '{' in project_description\n"
    "   or '}' in project_description %}\n"
    "no quotes, backslashes, backticks or braces\n"
    "{% endif %}"
)
