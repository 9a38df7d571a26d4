"""Change a living project: `add` patterns, `upgrade` to the installed mlsd, `status`, `resume`.

Both `add` and `upgrade` re-render from the recorded answers and merge three ways:
base = what mlsd rendered last time (.mlsd/base.json.gz), theirs = the new render, ours = the
files on disk. When conflicts remain, the merged files (with markers or .rej files) are
written, the new render is parked in .mlsd/pending.json, and the recorded answers advance
only once `mlsd resume` finds no conflict left.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd import __version__, packs
from mlsd.catalog import load_catalog
from mlsd.errors import ConflictError, TargetError, UsageError
from mlsd.merge import (
    START_MARKER,
    Action,
    ConflictStyle,
    MergePlan,
    PlanEntry,
    apply_plan,
    plan_merge,
    unified_diff,
)
from mlsd.render import Project, render_tree, validate_name
from mlsd.resolver import Resolution, resolve
from mlsd.state import (
    BASE_FILE,
    LEGACY_BASE_FILE,
    PENDING_FILE,
    STATE_DIR,
    Answers,
    find_root,
    pending_file,
    read_answers,
    read_base,
    read_pending,
    state_files,
)


@dataclass
class EvolveResult:
    """The merge plan of an `add` or `upgrade`: rendered once, shown, then `apply()`-ed."""

    root: Path
    resolution: Resolution
    plan: MergePlan
    answers: Answers = field(repr=False)  # the answers to record once applied
    theirs: dict[str, bytes] = field(repr=False)  # the new render: the next merge base
    written: bool = False
    pending: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
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
        state = state_files(self.answers, self.theirs)
        if self.plan.has_conflicts:
            sidecars = [e.sidecar_path for e in self.plan.entries if e.sidecar_path]
            extra = {PENDING_FILE: pending_file(self.plan.conflicts, sidecars, state)}
            self.pending = True
        else:
            extra = state
        apply_plan(self.root, _with_writes(self.root, self.plan, extra))
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
    if read_pending(root) is not None:
        raise TargetError(
            "an earlier merge still has conflicts",
            hint="resolve them (`mlsd status` lists them), then run `mlsd resume`",
        )
    dirty = [p for p in _git_dirty(root) if not p.startswith(STATE_DIR)]
    if dirty and not allow_dirty:
        raise TargetError(
            f"the project has uncommitted changes ({len(dirty)} paths)",
            hint="commit or stash them first so the merge can be undone, or pass --allow-dirty",
            details=dirty[:10],
        )
    return answers


def _style(conflict_style: str) -> ConflictStyle:
    if conflict_style not in ("inline", "rej"):
        raise UsageError(f"--conflict must be inline or rej, not {conflict_style!r}")
    return "rej" if conflict_style == "rej" else "inline"


def plan_add(
    root: Path,
    patterns: Sequence[str],
    *,
    conflict_style: str = "inline",
    allow_dirty: bool = False,
) -> EvolveResult:
    style = _style(conflict_style)
    root = find_root(root)
    answers = _guard(root, allow_dirty)
    catalog = load_catalog()
    for pid in patterns:
        catalog.get(pid)
        if pid in answers.patterns:
            raise UsageError(f"{pid} is already part of this project", hint="nothing to add")
    requested = [*answers.requested, *patterns]
    resolution = resolve(catalog, requested, use_defaults=True)
    return _plan(root, answers, resolution, requested, style)


def plan_upgrade(
    root: Path,
    *,
    conflict_style: str = "inline",
    allow_dirty: bool = False,
) -> EvolveResult:
    style = _style(conflict_style)
    root = find_root(root)
    answers = _guard(root, allow_dirty)
    resolution = resolve(load_catalog(), answers.requested, use_defaults=True)
    result = _plan(root, answers, resolution, list(answers.requested), style)
    if answers.mlsd_version != __version__:
        result.notes.append(f"mlsd {answers.mlsd_version} -> {__version__}")
    return result


def _plan(
    root: Path,
    answers: Answers,
    resolution: Resolution,
    requested: Sequence[str],
    conflict_style: ConflictStyle,
) -> EvolveResult:
    catalog = load_catalog()
    project = Project(
        validate_name(answers.project["name"]),
        answers.project.get("description", Project.description),
    )
    base = read_base(root)
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
    result = EvolveResult(root, resolution, plan, new_answers, theirs)
    for pid in resolution.patterns:
        if pid not in answers.patterns:
            result.notes.append(f"adds {pid} ({resolution.reasons[pid]})")
    for pid in answers.patterns:
        if pid not in resolution.patterns:
            result.notes.append(
                f"drops {pid}: it was only filled in as a default, and the new set no longer "
                "needs it (its files you changed are kept)"
            )
    return result


def _with_writes(root: Path, plan: MergePlan, files: dict[str, bytes]) -> MergePlan:
    """The plan plus whole-file writes of mlsd's own state files.

    Writing the compressed base retires an older project's uncompressed `.mlsd/base.json`
    in the same atomic apply.
    """
    extra = [PlanEntry(path, Action.UPDATE, result=data) for path, data in sorted(files.items())]
    if BASE_FILE in files and (root / LEGACY_BASE_FILE).is_file():
        extra.append(PlanEntry(LEGACY_BASE_FILE, Action.OBSOLETE, delete=True))
    return MergePlan([*plan.entries, *extra])


@dataclass
class Status:
    root: Path
    answers: Answers
    conflicts: list[str]
    resolved: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "mlsd_version": self.answers.mlsd_version,
            "patterns": list(self.answers.patterns),
            "pending": bool(self.conflicts or self.resolved),
            "conflicts": self.conflicts,
            "resolved": self.resolved,
        }


def _still_conflicted(root: Path, pending: dict[str, Any]) -> tuple[list[str], list[str]]:
    open_, done = [], []
    for rel in pending["conflicts"]:
        path = root / rel
        marked = path.is_file() and START_MARKER in path.read_bytes()
        (open_ if marked else done).append(rel)
    for rel in pending["sidecars"]:
        if (root / rel).exists():
            open_.append(rel)
    return sorted(set(open_)), sorted(set(done) - set(open_))


def project_status(root: Path) -> Status:
    root = find_root(root)
    answers = read_answers(root)
    pending = read_pending(root)
    if pending is None:
        return Status(root, answers, [], [])
    open_, done = _still_conflicted(root, pending)
    return Status(root, answers, open_, done)


def resume(root: Path) -> Status:
    """Finish a merge whose conflicts the user has resolved: advance the recorded answers."""
    root = find_root(root)
    pending = read_pending(root)
    if pending is None:
        raise UsageError("there is no merge to resume", hint="`mlsd status` shows the project")
    open_, _ = _still_conflicted(root, pending)
    if open_:
        raise ConflictError(
            f"{len(open_)} conflicts remain",
            hint="edit the files to remove the conflict markers (delete .rej/.mlsd-new files "
            "once applied), then run `mlsd resume` again",
            details=open_,
        )
    apply_plan(root, _with_writes(root, MergePlan([]), pending["state"]))
    (root / PENDING_FILE).unlink()
    return project_status(root)
