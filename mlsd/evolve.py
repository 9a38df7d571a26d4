"""Change a living project: `add`, `remove` or switch patterns, `upgrade` to the installed mlsd.

Each re-renders from the recorded answers (with the patterns added, removed or replaced) and
merges three ways: base = what mlsd rendered last time (.mlsd/base.json.gz), theirs = the new
render, ours = the files on disk. A journal (`mlsd.operation`) is written before the first
change. When conflicts remain, the merged files (with markers or .rej files) are written, the
new render is parked in .mlsd/pending.json, and the recorded answers advance only once
`mlsd resume` finds no conflict left; `mlsd abort` undoes the change (`mlsd.progress`).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd import __version__, operation, packs
from mlsd.adopt.options import adopted
from mlsd.adopt.render import render_adopted
from mlsd.adopt.resolve import resolve_adopted
from mlsd.catalog import Catalog, load_catalog
from mlsd.errors import ResolutionError, TargetError, UsageError
from mlsd.merge import (
    ConflictStyle,
    MergePlan,
    PlanEntry,
    apply_plan,
    plan_merge,
    unified_diff,
)
from mlsd.progress import Status, check_idle, project_status, resume
from mlsd.render import Project, render_tree, validate_name
from mlsd.resolver import Resolution, resolve
from mlsd.state import (
    ANSWERS_FILE,
    PENDING_FILE,
    STATE_DIR,
    Answers,
    find_root,
    pending_file,
    read_answers,
    read_base,
    retired_files,
    state_files,
)

__all__ = ["EvolveResult", "Status", "plan_add", "plan_remove", "plan_upgrade", "project_status"]
__all__ += ["read_base", "resume"]


@dataclass
class EvolveResult:
    """The merge plan of an `add` or `upgrade`: rendered once, shown, then `apply()`-ed."""

    root: Path
    resolution: Resolution
    plan: MergePlan
    written: bool = False
    pending: bool = False
    notes: list[str] = field(default_factory=list)
    answers: Answers | None = field(default=None, repr=False)  # to record once applied
    theirs: dict[str, bytes] = field(default_factory=dict, repr=False)
    verb: str = "upgrade"  # add, remove, switch or upgrade: what `mlsd status` names
    subjects: tuple[str, ...] = ()  # the patterns the verb is about

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "operation": self.verb,
            **self.resolution.to_dict(),
            **self.plan.to_dict(),
            "written": self.written,
            "pending": self.pending,
            "notes": self.notes,
        }

    def diff(self, entry: PlanEntry) -> str:
        """What applying ``entry`` changes in the file on disk, as a unified diff."""
        path = self.root / entry.path
        old = path.read_bytes() if path.is_file() else None
        return unified_diff(entry.path, old, entry.result)

    def apply(self) -> EvolveResult:
        """Write the merged files and the new state: all of it, or nothing.

        With conflicts, the new state is parked in .mlsd/pending.json until `mlsd resume`.
        """
        if self.written:
            return self
        assert self.answers is not None, "a plan made by plan_add/plan_upgrade"
        state = state_files(self.answers, self.theirs)
        if self.plan.has_conflicts:
            sidecars = [e.sidecar_path for e in self.plan.entries if e.sidecar_path]
            extra = {PENDING_FILE: pending_file(self.plan.conflicts, sidecars, state)}
        else:
            extra = state
        plan = self.plan.with_files(extra, retired_files(self.root, extra))
        if not plan.writes and not plan.deletes:
            self.written = True
            return self
        journal = operation.begin(self.root, self.verb, self.subjects, plan.writes, plan.deletes)
        try:
            apply_plan(self.root, plan)
        except BaseException as exc:
            # apply_plan rolled back already; restoring from the journal makes sure of it
            try:
                operation.restore(self.root, journal)
                operation.finish(self.root)
            except Exception as undo:
                exc.add_note(f"run `mlsd abort` to finish undoing it ({undo})")
            raise
        if not self.plan.has_conflicts:
            operation.finish(self.root)
        self.pending = self.plan.has_conflicts
        self.written = True
        return self


def _git_dirty(root: Path) -> list[str]:
    """Uncommitted paths when `root` is inside a git work tree (none when git is absent)."""
    git = shutil.which("git")
    if git is None:
        return []
    inside = subprocess.run(
        [git, "-C", str(root), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
    )
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return []
    out = subprocess.run(
        [git, "-C", str(root), "status", "--porcelain", "--", "."],
        capture_output=True,
        text=True,
    )
    return [line[3:] for line in out.stdout.splitlines() if line.strip()]


def _read_disk(root: Path, paths: Sequence[str]) -> dict[str, bytes]:
    ours = {}
    for rel in paths:
        path = root / rel
        if path.is_file() and not path.is_symlink():
            ours[rel] = path.read_bytes()
    return ours


def _guard(root: Path, allow_dirty: bool) -> Answers:
    answers = read_answers(root)
    packs.activate_recorded(answers.packs, root)
    check_idle(root)
    check_version(answers)
    dirty = [p for p in _git_dirty(root) if not p.startswith(STATE_DIR)]
    if dirty and not allow_dirty:
        raise TargetError(
            f"the project has uncommitted changes ({len(dirty)} paths)",
            hint="commit or stash them first so the merge can be undone, or pass --allow-dirty",
            details=dirty[:10],
        )
    return answers


def check_version(answers: Answers) -> None:
    """Refuse a project recorded by a newer mlsd: this one would silently downgrade it."""
    from packaging.version import InvalidVersion, Version

    try:
        recorded = Version(answers.mlsd_version)
    except InvalidVersion:
        raise TargetError(
            f"{ANSWERS_FILE} records mlsd_version {answers.mlsd_version!r}, not a version",
            hint="restore it from version control",
        ) from None
    if recorded > Version(__version__):
        raise TargetError(
            f"this project was recorded by mlsd {recorded}, newer than this mlsd {__version__}",
            hint=f"install mlsd {recorded} or newer (`pip install 'mlsd>={recorded}'`), "
            "then run the command again",
        )


def _style(conflict_style: str) -> ConflictStyle:
    if conflict_style not in ("inline", "rej"):
        raise UsageError(f"--conflict must be inline or rej, not {conflict_style!r}")
    return "rej" if conflict_style == "rej" else "inline"


def plan_add(
    root: Path,
    patterns: Sequence[str],
    *,
    replace: Sequence[str] = (),
    conflict_style: str = "inline",
    allow_dirty: bool = False,
) -> EvolveResult:
    """Plan adding ``patterns``; ``replace`` names patterns they take the place of (a switch
    of topology, model delivery or training), planned as one change."""
    style = _style(conflict_style)
    root = find_root(root)
    answers = _guard(root, allow_dirty)
    catalog = load_catalog()
    for pid in [*patterns, *replace]:
        catalog.get(pid)
    for pid in patterns:
        if pid in answers.patterns and pid not in replace:
            raise UsageError(f"{pid} is already part of this project", hint="nothing to add")
    _check_part_of(answers, replace, "replace")
    requested = [*(p for p in answers.requested if p not in replace), *patterns]
    try:
        resolution = _resolve(catalog, answers, requested)
    except ResolutionError as exc:
        adopting = adopted(answers) is not None
        switch = switch_advice(catalog, answers.patterns, patterns) if not replace else None
        switch = None if adopting else switch
        if switch:
            exc.hint = f"{exc.hint}; or switch in one step: `{switch}`"
        raise
    _check_gone(catalog, resolution, replace, "replace")
    verb = "switch" if replace else "add"
    return _plan(root, answers, resolution, requested, style, verb, (*patterns, *replace))


def plan_remove(
    root: Path,
    patterns: Sequence[str],
    *,
    conflict_style: str = "inline",
    allow_dirty: bool = False,
) -> EvolveResult:
    """Plan withdrawing ``patterns``: the same three-way merge as `add`, towards the render
    without them, so their untouched files go and the files the user changed stay."""
    style = _style(conflict_style)
    root = find_root(root)
    answers = _guard(root, allow_dirty)
    catalog = load_catalog()
    for pid in patterns:
        catalog.get(pid)
    _check_part_of(answers, patterns, "remove")
    requested = [p for p in answers.requested if p not in patterns]
    if not requested and adopted(answers) is None:
        raise UsageError(
            "a project keeps at least one pattern",
            hint="add the pattern to keep first, or switch: `mlsd add NEW --replace OLD`",
        )
    resolution = _resolve(catalog, answers, requested)
    _check_gone(catalog, resolution, patterns, "remove")
    return _plan(root, answers, resolution, requested, style, "remove", tuple(patterns))


def _check_part_of(answers: Answers, patterns: Sequence[str], verb: str) -> None:
    missing = [p for p in patterns if p not in answers.patterns]
    if missing:
        raise UsageError(
            f"cannot {verb} {', '.join(missing)}: not part of this project",
            hint=f"its patterns are {', '.join(answers.patterns)}",
        )


def _check_gone(
    catalog: Catalog, resolution: Resolution, patterns: Sequence[str], verb: str
) -> None:
    """Refuse when a pattern to remove or replace would stay: another one needs it."""
    for pid in patterns:
        if pid not in resolution.patterns:
            continue
        reason = resolution.reasons[pid]
        hint = f"remove what needs it first, or together: `mlsd remove {pid} ...`"
        entry = catalog.entries[pid]
        if entry.axis and reason.startswith("default"):
            others = [p for p in catalog.axis_members(entry.axis) if p != pid]
            hint = f"switch it instead: `mlsd add {others[0]} --replace {pid}`" if others else hint
        raise ResolutionError(f"cannot {verb} {pid}: it is {reason}", hint=hint)


def switch_advice(catalog: Catalog, current: Sequence[str], patterns: Sequence[str]) -> str | None:
    """The `mlsd add ... --replace ...` that makes ``patterns`` fit, when one axis blocks it."""
    added, replaced = list(patterns), []
    for pid in patterns:
        axis = catalog.entries[pid].axis
        if axis and catalog.axes[axis].max == 1:
            replaced += [p for p in current if p != pid and catalog.entries[p].axis == axis]
    topology = next((p for p in current if catalog.entries[p].axis == "online-topology"), None)
    gateway_needed = any(catalog.entries[p].requires_gateway for p in patterns)
    if gateway_needed and topology and not catalog.entries[topology].gateway:
        default = catalog.axes["online-topology"].gateway_default
        if default and default not in added:
            added.append(default)
        replaced.append(topology)
    if not replaced:
        return None
    replacing = " ".join(f"--replace {p}" for p in dict.fromkeys(replaced))
    return f"mlsd add {' '.join(added)} {replacing}"


def plan_upgrade(
    root: Path,
    *,
    conflict_style: str = "inline",
    allow_dirty: bool = False,
) -> EvolveResult:
    style = _style(conflict_style)
    root = find_root(root)
    answers = _guard(root, allow_dirty)
    resolution = _resolve(load_catalog(), answers, answers.requested)
    result = _plan(root, answers, resolution, list(answers.requested), style, "upgrade", ())
    if answers.mlsd_version != __version__:
        result.notes.append(f"mlsd {answers.mlsd_version} -> {__version__}")
    return result


def _resolve(catalog: Catalog, answers: Answers, requested: Sequence[str]) -> Resolution:
    """The closed set: an adopted repository's own rules (`mlsd.adopt`), else the catalog's."""
    recorded = adopted(answers)
    if recorded is not None:
        return resolve_adopted(catalog, requested, recorded)
    return resolve(catalog, requested, use_defaults=True)


def _plan(
    root: Path,
    answers: Answers,
    resolution: Resolution,
    requested: Sequence[str],
    conflict_style: ConflictStyle,
    verb: str,
    subjects: tuple[str, ...],
    base: dict[str, bytes] | None = None,  # None: the recorded one (`mlsd adopt` has none yet)
) -> EvolveResult:
    catalog = load_catalog()
    project = Project(
        validate_name(answers.project["name"]),
        answers.project.get("description", Project.description),
    )
    base = read_base(root) if base is None else base
    recorded, notes = adopted(answers), []
    if recorded is not None:
        rendered = render_adopted(catalog, resolution, project.to_dict(), recorded, root, base)
        theirs, base, notes = rendered.files, {**rendered.base, **base}, rendered.notes
    else:
        theirs = render_tree(catalog, resolution, project)
    ours = _read_disk(root, sorted(set(base) | set(theirs)))
    plan = plan_merge(base, theirs, ours, conflict_style=conflict_style)
    new_answers = Answers(
        __version__,
        project.to_dict(),
        resolution.patterns,
        answers.options,
        tuple(sorted(dict.fromkeys(requested), key=catalog.rank)),
        packs.recorded_for(resolution.patterns),
    )
    result = EvolveResult(
        root, resolution, plan, answers=new_answers, theirs=theirs, verb=verb, subjects=subjects
    )
    result.notes += notes
    for pid in resolution.patterns:
        if pid not in answers.patterns:
            result.notes.append(f"adds {pid} ({resolution.reasons[pid]})")
    for pid in answers.patterns:
        if pid in resolution.patterns:
            continue
        head = (
            f"{'removes' if verb == 'remove' else 'replaces'} {pid}"
            if pid in subjects
            else (f"drops {pid}: nothing in the new set needs it")
        )
        result.notes.append(f"{head} (its files you changed are kept)")
    return result
