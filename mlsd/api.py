"""The verbs of mlsd as Python functions; the CLI and the tests call these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlsd import __version__, packs
from mlsd.catalog import Catalog, load_catalog
from mlsd.errors import TargetError, UsageError
from mlsd.render import Project, render_tree, validate_description, validate_name
from mlsd.resolver import Resolution, expand_presets, resolve
from mlsd.state import Answers, state_files

if TYPE_CHECKING:
    from mlsd.evolve import EvolveResult
    from mlsd.progress import Aborted, Status


@dataclass(frozen=True)
class FilePlan:
    path: str
    action: str  # "create" | "overwrite" | "skip"


@dataclass
class NewResult:
    """The plan of a new project: rendered once, shown, then written by `apply()`."""

    target: Path
    project: Project
    resolution: Resolution
    plan: list[FilePlan] = field(default_factory=list)
    written: bool = False
    tree: dict[str, bytes] = field(default_factory=dict, repr=False)
    busy: bool = False  # the target has content: --force writes through the journaled apply

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": str(self.target),
            "project": self.project.to_dict(),
            **self.resolution.to_dict(),
            "files": [{"path": f.path, "action": f.action} for f in self.plan],
            "written": self.written,
        }

    def apply(self) -> NewResult:
        """Write the planned tree: all of it or nothing (staged, then moved in whole)."""
        if self.written:
            return self
        changed = [f.path for f in self.plan if f.action != "skip"]
        write_tree(self.target, self.tree, changed if self.busy else None)
        self.written = True
        return self


def write_tree(
    target: Path,
    tree: dict[str, bytes],
    changed: Sequence[str] | None = None,
    deleted: Sequence[str] = (),
) -> None:
    """Write `tree` all at once or not at all: into a new or empty `target` (``changed`` is
    None), or, in a folder with content (--force), the ``changed`` paths and the removal of
    ``deleted`` ones through the journaled apply."""
    if changed is not None:
        from mlsd.merge import Action, MergePlan, PlanEntry, apply_plan

        entries = [PlanEntry(p, Action.UPDATE, result=tree[p]) for p in changed]
        entries += [PlanEntry(p, Action.OBSOLETE, delete=True) for p in deleted]
        try:
            apply_plan(target, MergePlan(entries))
        except OSError as exc:
            raise _write_failed(target, exc, "nothing was changed") from exc
    else:
        from mlsd.writer import write_new

        try:
            write_new(target, tree)
        except OSError as exc:
            raise _write_failed(target, exc, "nothing was written") from exc


@dataclass(frozen=True)
class NewRequest:
    """What `mlsd new` is asked for: the command's flags over an optional answers file."""

    patterns: tuple[str, ...] = ()
    presets: tuple[str, ...] = ()
    name: str | None = None
    description: str | None = None
    use_defaults: bool = False

    @property
    def empty(self) -> bool:
        return not self.patterns and not self.presets

    @classmethod
    def gather(
        cls,
        patterns: Sequence[str] = (),
        presets: Sequence[str] = (),
        *,
        answers_file: Path | None = None,
        name: str | None = None,
        description: str | None = None,
        use_defaults: bool = False,
    ) -> NewRequest:
        """Flags win over the answers file; ids from both are combined (the file's first)."""
        data = read_answers_file(answers_file) if answers_file is not None else {}
        return cls(
            patterns=(*data.get("patterns", []), *patterns),
            presets=(*data.get("presets", []), *presets),
            name=name or data.get("name"),
            description=description or data.get("description"),
            use_defaults=use_defaults or bool(data.get("defaults")),
        )


ANSWER_KEYS = {"patterns": list, "presets": list, "name": str, "description": str, "defaults": bool}


def read_answers_file(path: Path) -> dict[str, Any]:
    """An answers file: YAML with optional `patterns`, `presets`, `name`, `description`."""
    import yaml

    def bad(problem: str, hint: str | None = None) -> UsageError:
        return UsageError(f"answers file {path} {problem}", hint=hint)

    if path.is_dir():
        raise bad("is a folder, not a file", hint="pass the path of a YAML file")
    try:
        text = path.read_bytes().decode("utf-8")
        data = yaml.safe_load(text)
    except FileNotFoundError:
        raise bad("does not exist") from None
    except UnicodeDecodeError as exc:
        raise bad(f"is not UTF-8 text (byte {exc.start})", hint="save it as UTF-8") from None
    except OSError as exc:
        raise bad(f"cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise bad(f"is not valid YAML: {exc}") from None
    example = "e.g.\n  patterns: [asynchronous, prediction-log]\n  name: churn-model"
    if data is None:
        raise bad("is empty", hint=f"write the answers in it, {example}")
    if not isinstance(data, dict):
        raise bad("must be a mapping of answers", hint=example)
    if "mlsd_version" in data:
        data = _recorded_answers(path, data)
    unknown = sorted(str(k) for k in data if k not in ANSWER_KEYS)
    if unknown:
        raise bad(
            f"has unknown keys: {', '.join(unknown)}",
            hint=f"allowed keys: {', '.join(sorted(ANSWER_KEYS))}",
        )
    for key, kind in ANSWER_KEYS.items():
        value = data.get(key)
        if value is None:
            continue
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad(f"`{key}` must be a list of ids", hint=f"e.g. {key}: [{value!s}]")
        elif not isinstance(value, kind):
            raise bad(f"`{key}` must be {kind.__name__ if kind is bool else 'text'}, not {value!r}")
    return data


def _recorded_answers(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """A project's own `.mlsd/answers.yaml`, as a request that renders the same project:
    the patterns the user asked for, with the defaults the project got."""
    from mlsd.state import answers_from_data

    answers = answers_from_data(path, data)
    return {
        "patterns": list(answers.requested),
        "name": answers.project["name"],
        "description": answers.project.get("description"),
        "defaults": True,
    }


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
    answers = Answers(
        __version__,
        project.to_dict(),
        resolution.patterns,
        {},
        asked,
        packs.recorded_for(resolution.patterns),
    )
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
    """True when the target exists with content (then --force is required).

    Checked before anything is rendered: a target that cannot be made or written is refused
    up front, so a failure never leaves a half-written project.
    """
    import os

    if target.exists() and not target.is_dir():
        raise TargetError(f"{target} exists and is not a folder", hint="choose another path")
    existing = target
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise TargetError(
            f"cannot create {target}: {existing} is a file, not a folder",
            hint="choose a path whose parent folders are folders",
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise TargetError(
            f"cannot write into {existing}: permission denied",
            hint="choose a folder you can write to",
        )
    busy = target.is_dir() and any(target.iterdir())
    if busy and not force:
        raise TargetError(
            f"{target} is not empty",
            hint="choose a new path, or pass --force to write into it (files mlsd renders are "
            "overwritten, others are left alone)",
        )
    return busy


def default_name(target: Path) -> str:
    """The project name when none is given: the folder's name, as a package-friendly id."""
    return target.expanduser().resolve().name.lower().replace("_", "-")


def check_target(target: Path, force: bool = False) -> None:
    """Refuse a target that `new` could not write (run before asking any question)."""
    _check_target(target.expanduser().resolve(), force)


def _write_failed(target: Path, exc: OSError, outcome: str) -> TargetError:
    return TargetError(
        f"could not write {target}: {exc.strerror or exc}; {outcome}",
        hint="free some space or choose another folder, then run the command again",
    )


def resolve_request(
    target: Path, request: NewRequest
) -> tuple[Project, tuple[str, ...], Resolution]:
    """The project answers, the ids asked for and the closed set a request renders."""
    project = Project(validate_name(request.name or default_name(target)))
    if request.description:
        project = Project(project.name, validate_description(request.description))
    catalog = load_catalog()
    requested = expand_presets(catalog, request.patterns, request.presets)
    return project, tuple(requested), resolve(catalog, requested, use_defaults=request.use_defaults)


def target_busy(target: Path, force: bool) -> bool:
    """True when `target` has content (allowed only with ``force``); refuses a target that
    cannot be written."""
    return _check_target(target, force)


def plan_new(target: Path, request: NewRequest, *, force: bool = False) -> NewResult:
    """Resolve and render a new project once; nothing is written until `.apply()`."""
    target = target.expanduser().resolve()
    project, requested, resolution = resolve_request(target, request)
    busy = _check_target(target, force)
    tree = render_project(project, resolution, requested)
    return NewResult(target, project, resolution, plan_files(target, tree), tree=tree, busy=busy)


def new_project(
    target: Path,
    patterns: Sequence[str] = (),
    presets: Sequence[str] = (),
    *,
    name: str | None = None,
    description: str | None = None,
    use_defaults: bool = False,
    dry_run: bool = False,
    force: bool = False,
) -> NewResult:
    """Plan a new project and, unless ``dry_run``, write it."""
    request = NewRequest(tuple(patterns), tuple(presets), name, description, use_defaults)
    result = plan_new(target, request, force=force)
    return result if dry_run else result.apply()


def plan_add(root: Path, patterns: Sequence[str], **options: Any) -> EvolveResult:
    """Render and plan the merge that adds ``patterns``; `.apply()` writes it."""
    from mlsd.evolve import plan_add as plan

    return plan(root, patterns, **options)


def plan_remove(root: Path, patterns: Sequence[str], **options: Any) -> EvolveResult:
    """Render and plan the merge that withdraws ``patterns``; `.apply()` writes it."""
    from mlsd.evolve import plan_remove as plan

    return plan(root, patterns, **options)


def plan_upgrade(root: Path, **options: Any) -> EvolveResult:
    """Render and plan the merge to the installed mlsd; `.apply()` writes it."""
    from mlsd.evolve import plan_upgrade as plan

    return plan(root, **options)


def plan_adopt(root: Path, **options: Any) -> EvolveResult:
    """Check a repository mlsd did not make and plan its adoption; `.apply()` writes it."""
    from mlsd.adopt.verb import plan_adopt as plan

    return plan(root, **options)


def adopt_repository(root: Path, *, dry_run: bool = False, **options: Any) -> EvolveResult:
    result = plan_adopt(root, **options)
    return result if dry_run else result.apply()


def add_patterns(
    root: Path, patterns: Sequence[str], *, dry_run: bool = False, **options: Any
) -> EvolveResult:
    result = plan_add(root, patterns, **options)
    return result if dry_run else result.apply()


def remove_patterns(
    root: Path, patterns: Sequence[str], *, dry_run: bool = False, **options: Any
) -> EvolveResult:
    result = plan_remove(root, patterns, **options)
    return result if dry_run else result.apply()


def upgrade_project(root: Path, *, dry_run: bool = False, **options: Any) -> EvolveResult:
    result = plan_upgrade(root, **options)
    return result if dry_run else result.apply()


def project_status(root: Path) -> Status:
    from mlsd.progress import project_status as status

    return status(root)


def resume(root: Path) -> Status:
    from mlsd.progress import resume as finish

    return finish(root)


def abort(root: Path) -> Aborted:
    """Undo the add/remove/switch/upgrade in progress, byte for byte."""
    from mlsd.progress import abort as undo

    return undo(root)
