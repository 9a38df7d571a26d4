"""The verbs of mlsd as Python functions; the CLI and the tests call these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd import __version__
from mlsd.catalog import Catalog, load_catalog
from mlsd.errors import InternalError, TargetError, UsageError
from mlsd.render import Project, render_tree, validate_name
from mlsd.resolver import Resolution, expand_presets, resolve
from mlsd.state import Answers, state_files


@dataclass(frozen=True)
class FilePlan:
    path: str
    action: str  # "create" | "overwrite" | "skip"


@dataclass
class NewResult:
    target: Path
    project: Project
    resolution: Resolution
    plan: list[FilePlan] = field(default_factory=list)
    written: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": str(self.target),
            "project": self.project.to_dict(),
            **self.resolution.to_dict(),
            "files": [{"path": f.path, "action": f.action} for f in self.plan],
            "written": self.written,
        }


def read_answers_file(path: Path) -> dict[str, Any]:
    """An answers file: YAML with optional `patterns`, `presets`, `name`, `description`."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise UsageError(f"answers file {path} does not exist") from None
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read answers file {path}: {exc}") from exc
    known = {"patterns", "presets", "name", "description", "defaults"}
    if not isinstance(data, dict) or set(data) - known:
        extra = sorted(set(data) - known) if isinstance(data, dict) else ["(not a mapping)"]
        raise UsageError(
            f"answers file {path} has unknown keys: {', '.join(extra)}",
            hint=f"allowed keys: {', '.join(sorted(known))}",
        )
    return data


def resolve_selection(
    patterns: Sequence[str],
    presets: Sequence[str] = (),
    *,
    use_defaults: bool = False,
    catalog: Catalog | None = None,
) -> Resolution:
    catalog = catalog or load_catalog()
    requested = expand_presets(catalog, patterns, presets)
    return resolve(catalog, requested, use_defaults=use_defaults)


def render_project(
    project: Project, resolution: Resolution, requested: Sequence[str]
) -> dict[str, bytes]:
    """The full tree a project gets, state files included."""
    catalog = load_catalog()
    tree = render_tree(catalog, resolution, project)
    asked = tuple(sorted(dict.fromkeys(requested), key=catalog.rank))
    answers = Answers(__version__, project.to_dict(), resolution.patterns, {}, asked)
    return {**tree, **state_files(answers, tree)}


def plan_files(target: Path, tree: dict[str, bytes]) -> list[FilePlan]:
    plan = []
    for rel, data in tree.items():
        path = target / rel
        if not path.exists():
            plan.append(FilePlan(rel, "create"))
        elif path.is_file() and path.read_bytes() == data:
            plan.append(FilePlan(rel, "skip"))
        else:
            plan.append(FilePlan(rel, "overwrite"))
    return plan


def _check_target(target: Path, force: bool) -> bool:
    """True when the target exists with content (then --force is required)."""
    if target.exists() and not target.is_dir():
        raise TargetError(f"{target} exists and is not a folder", hint="choose another path")
    busy = target.is_dir() and any(target.iterdir())
    if busy and not force:
        raise TargetError(
            f"{target} is not empty",
            hint="choose a new path, or pass --force to write into it (files mlsd renders are "
            "overwritten, others are left alone)",
        )
    return busy


def new_project(
    target: Path,
    patterns: Sequence[str] = (),
    presets: Sequence[str] = (),
    *,
    name: str | None = None,
    use_defaults: bool = False,
    dry_run: bool = False,
    force: bool = False,
) -> NewResult:
    from mlsd.writer import write_new

    target = target.expanduser().resolve()
    project = Project(validate_name(name or target.name.lower().replace("_", "-")))
    catalog = load_catalog()
    requested = expand_presets(catalog, patterns, presets)
    resolution = resolve(catalog, requested, use_defaults=use_defaults)
    busy = _check_target(target, force)
    tree = render_project(project, resolution, requested)
    result = NewResult(target, project, resolution, plan_files(target, tree))
    if dry_run:
        return result
    if busy:
        from mlsd.merge import Action, MergePlan, PlanEntry, apply_plan

        changed = [f.path for f in result.plan if f.action != "skip"]
        entries = [PlanEntry(p, Action.UPDATE, result=tree[p]) for p in changed]
        try:
            apply_plan(target, MergePlan(entries))
        except OSError as exc:
            raise InternalError(f"could not write {target}: {exc}; nothing was changed") from exc
    else:
        write_new(target, tree)
    result.written = True
    return result


def add_patterns(root: Path, patterns: Sequence[str], **options: Any) -> Any:
    from mlsd.evolve import add_patterns as add

    return add(root, patterns, **options)


def upgrade_project(root: Path, **options: Any) -> Any:
    from mlsd.evolve import upgrade_project as upgrade

    return upgrade(root, **options)
