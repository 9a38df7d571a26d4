"""The per-file merge plan: pure decisions, no I/O.

For every path mlsd rendered last time (base) or renders now (theirs), compared with the
file on disk (ours), one `PlanEntry` says what to do: create, unchanged, update, keep,
merge, conflict, user-deleted or obsolete, and what to write. Files that mlsd never
rendered belong to the user and are never listed.

Binary files (a NUL byte or not valid UTF-8) are never line-merged: if both sides changed
one, the user's file is kept and mlsd's version is written next to it as
``<path>.mlsd-new``. In ``rej`` style a conflicting text file gets mlsd's clean changes
and keeps the user's lines where they clash; ``<path>.rej`` receives only the clashes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from mlsd.merge.structured import check as check_structured
from mlsd.merge.structured import settle
from mlsd.merge.text import (
    NEW_SUFFIX,
    REJ_SUFFIX,
    Hunk,
    detect_eol,
    diff3,
    is_text,
    render_merge,
    render_rej,
    split_lines,
    to_lf,
    uniform_eol,
)

ConflictStyle = Literal["inline", "rej"]


class Action(StrEnum):
    """What happens to one path. The string values are part of mlsd's JSON output."""

    CREATE = "create"
    UNCHANGED = "unchanged"
    UPDATE = "update"
    KEEP = "keep"
    MERGE = "merge"
    CONFLICT = "conflict"
    USER_DELETED = "user-deleted"
    OBSOLETE = "obsolete"


@dataclass(frozen=True)
class PlanEntry:
    """The decision for one path.

    ``result`` is the content to write at ``path`` (None: leave the file as it is).
    ``sidecar_path``/``sidecar`` is an extra file written next to it: ``<path>.rej`` in rej
    style or ``<path>.mlsd-new`` for binary conflicts.
    """

    path: str
    action: Action
    result: bytes | None = None
    delete: bool = False
    message: str = ""
    conflict_count: int = 0
    sidecar_path: str | None = None
    sidecar: bytes | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary; contents are left out, only whether something is written."""
        return {
            "path": self.path,
            "action": self.action.value,
            "write": self.result is not None,
            "delete": self.delete,
            "message": self.message,
            "conflict_count": self.conflict_count,
            "sidecar": self.sidecar_path,
        }


@dataclass(frozen=True)
class MergePlan:
    """Every path's `PlanEntry`, sorted by path, plus views that `apply_plan` and the CLI use."""

    entries: list[PlanEntry] = field(default_factory=list)

    @property
    def writes(self) -> dict[str, bytes]:
        """Path → content for every file to write, including ``.rej``/``.mlsd-new`` sidecars."""
        out: dict[str, bytes] = {}
        for entry in self.entries:
            if entry.result is not None:
                out[entry.path] = entry.result
            if entry.sidecar_path is not None and entry.sidecar is not None:
                out[entry.sidecar_path] = entry.sidecar
        return out

    def with_files(self, files: Mapping[str, bytes], deletes: Sequence[str] = ()) -> MergePlan:
        """This plan plus whole-file writes and deletes (mlsd's own state files)."""
        extra = [
            PlanEntry(path, Action.UPDATE, result=data) for path, data in sorted(files.items())
        ]
        extra += [PlanEntry(path, Action.OBSOLETE, delete=True) for path in deletes]
        return MergePlan([*self.entries, *extra])

    @property
    def deletes(self) -> list[str]:
        return [entry.path for entry in self.entries if entry.delete]

    @property
    def conflicts(self) -> list[str]:
        return [entry.path for entry in self.entries if entry.action is Action.CONFLICT]

    @property
    def has_conflicts(self) -> bool:
        return any(entry.action is Action.CONFLICT for entry in self.entries)

    def counts(self) -> dict[Action, int]:
        """Action → number of paths, for actions that occur, in `Action` declaration order."""
        seen = Counter(entry.action for entry in self.entries)
        return {action: seen[action] for action in Action if seen[action]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "entries": [entry.to_dict() for entry in self.entries],
            "counts": {action.value: n for action, n in self.counts().items()},
            "conflicts": self.conflicts,
            "has_conflicts": self.has_conflicts,
        }


def plan_merge(
    base: Mapping[str, bytes],
    theirs: Mapping[str, bytes],
    ours: Mapping[str, bytes],
    *,
    conflict_style: ConflictStyle = "inline",
) -> MergePlan:
    """Decide, for every path mlsd rendered before or renders now, how to merge it.

    Pure and deterministic: the same trees always give the same plan, byte for byte.
    Raises ValueError for an unknown ``conflict_style`` or when a sidecar file
    (``.rej``/``.mlsd-new``) would land on a path that mlsd itself renders.
    """
    if conflict_style not in ("inline", "rej"):
        raise ValueError(f"conflict_style must be 'inline' or 'rej', not {conflict_style!r}")
    entries = [
        _plan_path(path, base.get(path), theirs.get(path), ours.get(path), conflict_style)
        for path in sorted(set(base) | set(theirs))
    ]
    rendered = set(base) | set(theirs)
    for entry in entries:
        if entry.sidecar_path is not None and entry.sidecar_path in rendered:
            raise ValueError(
                f"cannot write {entry.sidecar_path}: mlsd also renders a file at that path"
            )
    return MergePlan(entries)


def _plan_path(
    path: str,
    base: bytes | None,
    theirs: bytes | None,
    ours: bytes | None,
    style: ConflictStyle,
) -> PlanEntry:
    """One path's decision, blind to line endings: a file whose lines all end in CRLF (or
    CR) while mlsd renders LF (Windows, ``core.autocrlf``) is merged as LF and written back
    with its own endings."""
    eol = uniform_eol(ours) if ours is not None else None
    if eol is None or eol == b"\n" or not is_text(ours or b""):
        return _plan_path_lf(path, base, theirs, ours, style)
    entry = _plan_path_lf(path, to_lf(base), to_lf(theirs), to_lf(ours), style)
    result = None if entry.result is None else entry.result.replace(b"\n", eol)
    if result == ours:  # already so on disk, endings aside
        result = None
    return replace(entry, result=result)


def _plan_path_lf(
    path: str,
    base: bytes | None,
    theirs: bytes | None,
    ours: bytes | None,
    style: ConflictStyle,
) -> PlanEntry:
    """One path's decision; at least one of ``base``/``theirs`` is present."""
    if base is None:
        assert theirs is not None
        return _plan_new_path(path, theirs, ours, style)
    if theirs is None:
        return _plan_obsolete(path, base, ours)
    if ours is None:
        message = "you deleted it; left deleted"
        if theirs != base:
            message += " (mlsd has changed it since; see the diff if you want it back)"
        return PlanEntry(path, Action.USER_DELETED, message=message)
    if ours == theirs:
        message = "no changes" if theirs == base else "already up to date"
        return PlanEntry(path, Action.UNCHANGED, message=message)
    if theirs == base:
        return PlanEntry(path, Action.KEEP, message="only you changed it; kept yours")
    if ours == base:
        return PlanEntry(path, Action.UPDATE, result=theirs, message="updated to mlsd's version")
    return _plan_both_changed(path, base, theirs, ours, style)


def _plan_new_path(path: str, theirs: bytes, ours: bytes | None, style: ConflictStyle) -> PlanEntry:
    """mlsd renders a path it did not render last time."""
    if ours is None:
        return PlanEntry(path, Action.CREATE, result=theirs, message="new file")
    if ours == theirs:
        return PlanEntry(path, Action.UNCHANGED, message="already on disk with mlsd's content")
    # The user created a file here themselves: a two-way merge against an empty base.
    return _plan_both_changed(path, None, theirs, ours, style)


def _plan_obsolete(path: str, base: bytes, ours: bytes | None) -> PlanEntry:
    """mlsd no longer renders a path: delete it only if the user never touched it."""
    if ours is None:
        return PlanEntry(path, Action.OBSOLETE, message="mlsd no longer renders it; already gone")
    if ours == base:
        return PlanEntry(
            path, Action.OBSOLETE, delete=True, message="mlsd no longer renders it; deleted"
        )
    return PlanEntry(
        path, Action.OBSOLETE, message="mlsd no longer renders it; kept: you changed it"
    )


def _conflicts(hunks: list[Hunk]) -> int:
    return sum(1 for hunk in hunks if hunk.kind == "conflict")


def _unparsable(path: str, theirs: bytes) -> PlanEntry:
    """A clean line merge that no longer parses (e.g. the same key added twice)."""
    return PlanEntry(
        path,
        Action.CONFLICT,
        message=f"the merged file would not parse: kept yours, mlsd's is in {path}{NEW_SUFFIX}",
        conflict_count=1,
        sidecar_path=path + NEW_SUFFIX,
        sidecar=theirs,
    )


def _plan_both_changed(
    path: str,
    base: bytes | None,
    theirs: bytes,
    ours: bytes,
    style: ConflictStyle,
) -> PlanEntry:
    """Both sides changed the file (or both created it): line-merge it if it is text."""
    if not all(is_text(data) for data in (base, theirs, ours) if data is not None):
        return PlanEntry(
            path,
            Action.CONFLICT,
            message=f"binary file changed on both sides: kept yours, mlsd's is in "
            f"{path}{NEW_SUFFIX}",
            conflict_count=1,
            sidecar_path=path + NEW_SUFFIX,
            sidecar=theirs,
        )
    base_lines = split_lines(base or b"")
    ours_lines = split_lines(ours)
    theirs_lines = split_lines(theirs)
    hunks = diff3(base_lines, ours_lines, theirs_lines)
    settled = settle(path, hunks, base_lines, ours_lines, theirs_lines)
    if not _conflicts(settled):
        merged = b"".join(render_merge(settled, base_lines, ours_lines, theirs_lines))
        checked, notes = check_structured(path, base, ours, theirs, merged)
        if checked is not None:
            if checked == ours:
                return PlanEntry(path, Action.MERGE, message="mlsd's changes are already in it")
            how = "merged cleanly" if settled == hunks else "merged cleanly, lists item by item"
            return PlanEntry(path, Action.MERGE, result=checked, message="; ".join([how, *notes]))
        if not _conflicts(hunks):
            return _unparsable(path, theirs)
    else:
        hunks = settled
    n_conflicts = _conflicts(hunks)
    plural = "s" if n_conflicts > 1 else ""
    if style == "rej":
        rej = render_rej(path, hunks, base_lines, theirs_lines)
        merged = b"".join(render_merge(hunks, base_lines, ours_lines, theirs_lines, markers=False))
        return PlanEntry(
            path,
            Action.CONFLICT,
            result=None if merged == ours else merged,
            message=f"{n_conflicts} conflict{plural}: clean changes merged, the conflicting "
            f"hunk{plural} (mlsd's side) in {path}{REJ_SUFFIX}: apply by hand, then delete it",
            conflict_count=n_conflicts,
            sidecar_path=path + REJ_SUFFIX,
            sidecar=rej,
        )
    merged = b"".join(
        render_merge(
            hunks,
            base_lines,
            ours_lines,
            theirs_lines,
            eol=detect_eol(ours, theirs, base or b""),
            show_base=base is not None,
        )
    )
    return PlanEntry(
        path,
        Action.CONFLICT,
        result=merged,
        message=f"{n_conflicts} conflict{plural}: resolve the <<<<<<< markers",
        conflict_count=n_conflicts,
    )
