"""Three-way merge of rendered file trees, planned purely and applied atomically.

mlsd renders a project, the user edits it, and later mlsd renders it again (more patterns,
a newer mlsd). To bring the new render into the edited project without losing the user's
work, we merge per file with the *last render* as the merge base:

- ``base``:   what mlsd rendered last time (the exact merge base),
- ``theirs``: what mlsd renders now,
- ``ours``:   what is on disk now (the user's version).

A tree is a ``Mapping[str, bytes]`` from a posix relative path to file content. Only paths
in base or theirs are considered: files that mlsd never rendered belong to the user and
are never touched or listed.

`plan_merge` is pure (no I/O, deterministic): it returns a `MergePlan` with one
`PlanEntry` per path saying what to do and why. `apply_plan` then carries the plan out so
that it either fully happens or leaves the project byte-identical to before.

Text merges are line based: the line alignment (diff3 "sync regions") comes from the
``merge3`` package (Breezy's merge algorithm); this module only classifies the gaps between
sync regions and renders them. Lines keep their own endings (LF, CRLF, CR) and a missing
final newline is preserved, so a clean merge never rewrites lines nobody changed.

Conflict markers (``conflict_style="inline"``) are git's diff3 style, with the labels
``yours`` (on disk) and ``mlsd`` (the new render)::

    <<<<<<< yours
    the user's lines
    ||||||| base
    the lines as mlsd rendered them last time
    =======
    the lines mlsd renders now
    >>>>>>> mlsd

Lines that both sides agree on at the start or end of a conflicting region are moved out of
the block (like git's ``zdiff3``), so the block shows only what really differs. When there
is no base (the user created a file at a path mlsd now renders) the ``||||||| base`` section
is omitted. Markers use the file's own line ending.

With ``conflict_style="rej"`` a conflicting file is left exactly as the user has it and
``<path>.rej`` receives, as unified-diff hunks against the base, every change mlsd wanted to
make that is not already in the file; hunks that clash with the user's edits are flagged
``@@ ... @@ conflicts with your edit``.

Binary files (a NUL byte or not valid UTF-8) are never line-merged: if both sides changed
one, the user's file is kept and mlsd's version is written next to it as
``<path>.mlsd-new``.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import stat
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from merge3 import Merge3

__all__ = [
    "BASE_MARKER",
    "END_MARKER",
    "MID_MARKER",
    "START_MARKER",
    "Action",
    "ConflictStyle",
    "MergePlan",
    "PlanEntry",
    "apply_plan",
    "plan_merge",
    "unified_diff",
]

ConflictStyle = Literal["inline", "rej"]

START_MARKER = b"<<<<<<< yours"
BASE_MARKER = b"||||||| base"
MID_MARKER = b"======="
END_MARKER = b">>>>>>> mlsd"

REJ_SUFFIX = ".rej"
NEW_SUFFIX = ".mlsd-new"
STATE_DIR = ".mlsd"
"""Directory inside the project where `apply_plan` stages files; removed again if it made it."""


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


# --------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------


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


def _plan_both_changed(
    path: str,
    base: bytes | None,
    theirs: bytes,
    ours: bytes,
    style: ConflictStyle,
) -> PlanEntry:
    """Both sides changed the file (or both created it): line-merge it if it is text."""
    if not all(_is_text(data) for data in (base, theirs, ours) if data is not None):
        return PlanEntry(
            path,
            Action.CONFLICT,
            message=f"binary file changed on both sides: kept yours, mlsd's is in "
            f"{path}{NEW_SUFFIX}",
            conflict_count=1,
            sidecar_path=path + NEW_SUFFIX,
            sidecar=theirs,
        )
    base_lines = _split_lines(base or b"")
    ours_lines = _split_lines(ours)
    theirs_lines = _split_lines(theirs)
    hunks = _diff3(base_lines, ours_lines, theirs_lines)
    n_conflicts = sum(1 for hunk in hunks if hunk.kind == "conflict")
    if n_conflicts == 0:
        merged = b"".join(_render_merge(hunks, base_lines, ours_lines, theirs_lines))
        if merged == ours:
            return PlanEntry(path, Action.MERGE, message="mlsd's changes are already in it")
        return PlanEntry(path, Action.MERGE, result=merged, message="merged cleanly")
    plural = "s" if n_conflicts > 1 else ""
    if style == "rej":
        rej = _render_rej(path, hunks, base_lines, theirs_lines)
        return PlanEntry(
            path,
            Action.CONFLICT,
            message=f"{n_conflicts} conflict{plural}: kept yours, mlsd's changes are in "
            f"{path}{REJ_SUFFIX}",
            conflict_count=n_conflicts,
            sidecar_path=path + REJ_SUFFIX,
            sidecar=rej,
        )
    merged = b"".join(
        _render_merge(
            hunks,
            base_lines,
            ours_lines,
            theirs_lines,
            eol=_detect_eol(ours, theirs, base or b""),
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


# --------------------------------------------------------------------------------------
# Line merge
# --------------------------------------------------------------------------------------

HunkKind = Literal["unchanged", "same", "ours", "theirs", "conflict"]


@dataclass(frozen=True)
class _Hunk:
    """A stretch of the merge with half-open line ranges in all three versions.

    ``unchanged``: all three agree. ``same``: both sides made the same change. ``ours`` /
    ``theirs``: only that side changed it. ``conflict``: both changed it differently.
    """

    kind: HunkKind
    base: tuple[int, int]
    ours: tuple[int, int]
    theirs: tuple[int, int]


def _diff3(base: Sequence[bytes], ours: Sequence[bytes], theirs: Sequence[bytes]) -> list[_Hunk]:
    """Split the merge into hunks, using merge3's sync regions for the alignment.

    This is what ``Merge3.merge_regions`` does, except that every hunk carries its range in
    all three versions (merge_regions gives only one side's range for one-sided changes),
    which the ``.rej`` output needs for its line numbers.
    """
    hunks: list[_Hunk] = []
    iz = io = it = 0
    for zmatch, zend, omatch, oend, tmatch, tend in Merge3(base, ours, theirs).find_sync_regions():
        if omatch > io or tmatch > it:
            kind = _classify(base[iz:zmatch], ours[io:omatch], theirs[it:tmatch])
            hunks.append(_Hunk(kind, (iz, zmatch), (io, omatch), (it, tmatch)))
        if zend > zmatch:
            hunks.append(_Hunk("unchanged", (zmatch, zend), (omatch, oend), (tmatch, tend)))
        iz, io, it = zend, oend, tend
    return hunks


def _classify(base: Sequence[bytes], ours: Sequence[bytes], theirs: Sequence[bytes]) -> HunkKind:
    if ours == theirs:
        return "same"
    if ours == base:
        return "theirs"
    if theirs == base:
        return "ours"
    return "conflict"


def _render_merge(
    hunks: Sequence[_Hunk],
    base: Sequence[bytes],
    ours: Sequence[bytes],
    theirs: Sequence[bytes],
    *,
    eol: bytes = b"\n",
    show_base: bool = True,
) -> Iterator[bytes]:
    """Yield the merged lines, with conflict blocks for ``conflict`` hunks."""
    for hunk in hunks:
        if hunk.kind == "conflict":
            yield from _conflict_block(
                _slice(base, hunk.base),
                _slice(ours, hunk.ours),
                _slice(theirs, hunk.theirs),
                eol=eol,
                show_base=show_base,
            )
        elif hunk.kind == "theirs":
            yield from _slice(theirs, hunk.theirs)
        else:  # unchanged, same, ours: the user's lines are the merged lines
            yield from _slice(ours, hunk.ours)


def _conflict_block(
    base: Sequence[bytes],
    ours: Sequence[bytes],
    theirs: Sequence[bytes],
    *,
    eol: bytes,
    show_base: bool,
) -> list[bytes]:
    """Render one conflict, zdiff3 style: lines both sides share at its ends stay outside.

    Every section is terminated with a line ending so that a missing final newline on one
    side cannot glue a marker onto the user's last line. (Lines before the block always end
    in a newline: merge3 separates hunks by lines all three versions share, and only a
    version's last line can lack one.)
    """
    head = _common_prefix(ours, theirs)
    tail = _common_prefix(ours[head:][::-1], theirs[head:][::-1])
    ours_mid = ours[head : len(ours) - tail]
    theirs_mid = theirs[head : len(theirs) - tail]
    block: list[bytes] = list(ours[:head])
    block.append(START_MARKER + eol)
    block.extend(_terminated(ours_mid, eol))
    if show_base:
        block.append(BASE_MARKER + eol)
        block.extend(_terminated(base, eol))
    block.append(MID_MARKER + eol)
    block.extend(_terminated(theirs_mid, eol))
    block.append(END_MARKER + eol)
    block.extend(ours[len(ours) - tail :] if tail else [])
    return block


def _common_prefix(a: Sequence[bytes], b: Sequence[bytes]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _terminated(lines: Sequence[bytes], eol: bytes) -> list[bytes]:
    out = list(lines)
    if out and not out[-1].endswith((b"\n", b"\r")):
        out[-1] += eol
    return out


def _render_rej(
    path: str, hunks: Sequence[_Hunk], base: Sequence[bytes], theirs: Sequence[bytes]
) -> bytes:
    """Every change mlsd wanted that is not in the user's file, as unified-diff hunks.

    In rej style the user's file is left untouched, so this includes mlsd's one-sided
    changes as well as the conflicting ones; otherwise those changes would silently vanish.
    """
    out = [f"--- a/{path}\n".encode(), f"+++ b/{path}\n".encode()]
    for hunk in hunks:
        if hunk.kind not in ("theirs", "conflict"):
            continue
        note = b" conflicts with your edit" if hunk.kind == "conflict" else b""
        header = f"@@ -{_hunk_range(hunk.base)} +{_hunk_range(hunk.theirs)} @@".encode()
        out.append(header + note + b"\n")
        out.extend(_diff_lines(b"-", _slice(base, hunk.base)))
        out.extend(_diff_lines(b"+", _slice(theirs, hunk.theirs)))
    return b"".join(out)


def _hunk_range(span: tuple[int, int]) -> str:
    """Unified-diff ``start,length`` (1-based; an empty range names the line before it)."""
    start, end = span
    length = end - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def _diff_lines(prefix: bytes, lines: Sequence[bytes]) -> Iterator[bytes]:
    for line in lines:
        if line.endswith((b"\n", b"\r")):
            yield prefix + line
        else:
            yield prefix + line + b"\n\\ No newline at end of file\n"


def _slice(lines: Sequence[bytes], span: tuple[int, int]) -> Sequence[bytes]:
    return lines[span[0] : span[1]]


def _split_lines(data: bytes) -> list[bytes]:
    """Lines with their endings kept; bytes.splitlines knows only LF, CRLF and CR."""
    return data.splitlines(keepends=True)


def _detect_eol(*texts: bytes) -> bytes:
    """The first line ending found, preferring the user's file: used for marker lines."""
    for text in texts:
        for line in _split_lines(text):
            if line.endswith(b"\r\n"):
                return b"\r\n"
            if line.endswith(b"\n"):
                return b"\n"
            if line.endswith(b"\r"):
                return b"\r"
    return b"\n"


def _is_text(data: bytes) -> bool:
    """Text is NUL-free valid UTF-8; anything else is merged as an opaque blob."""
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --------------------------------------------------------------------------------------
# Diff output
# --------------------------------------------------------------------------------------


def unified_diff(path: str, old: bytes | None, new: bytes | None, *, context: int = 3) -> str:
    """A git-style unified diff of one file (None = the file does not exist); "" if equal."""
    if old == new:
        return ""
    from_name = "/dev/null" if old is None else f"a/{path}"
    to_name = "/dev/null" if new is None else f"b/{path}"
    if not _is_text(old or b"") or not _is_text(new or b""):
        return f"Binary files {from_name} and {to_name} differ\n"
    # Split as bytes: str.splitlines would also break at form feeds, U+2028 and the like.
    old_lines = [line.decode("utf-8") for line in _split_lines(old or b"")]
    new_lines = [line.decode("utf-8") for line in _split_lines(new or b"")]
    out: list[str] = []
    for line in difflib.unified_diff(old_lines, new_lines, from_name, to_name, n=context):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


# --------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------


class _InjectedFailure(RuntimeError):
    """Raised by `apply_plan` when a test asks it to fail midway (``_fail_after``)."""


def _replace(src: Path, dst: Path) -> None:
    """Move a staged file into place. A seam: tests monkeypatch it to fail."""
    os.replace(src, dst)


StepKind = Literal["replaced", "created", "deleted", "mkdir", "rmdir"]


@dataclass
class _Journal:
    """What `apply_plan` changed so far, so that it can be undone in reverse order.

    Each step is (kind, path, backup copy for replaced/deleted files, mode of removed dirs).
    """

    steps: list[tuple[StepKind, Path, Path | None, int]] = field(default_factory=list)

    def record(
        self, kind: StepKind, target: Path, backup: Path | None = None, mode: int = 0
    ) -> None:
        self.steps.append((kind, target, backup, mode))

    def undo(self) -> list[str]:
        """Undo every step, newest first; returns errors instead of stopping at the first."""
        errors: list[str] = []
        for kind, target, backup, mode in reversed(self.steps):
            try:
                if kind in ("replaced", "deleted"):
                    assert backup is not None
                    os.replace(backup, target)
                elif kind == "created":
                    target.unlink(missing_ok=True)
                elif kind == "mkdir":
                    target.rmdir()
                elif kind == "rmdir":
                    target.mkdir()
                    os.chmod(target, mode)
            except OSError as exc:
                errors.append(f"{kind} {target}: {exc}")
        return errors


def apply_plan(root: Path, plan: MergePlan, *, _fail_after: int | None = None) -> None:
    """Carry out ``plan`` under ``root``: all of it, or (on any error) none of it.

    New contents are first staged in ``root/.mlsd/tmp-*`` (same filesystem, so moves are
    atomic renames) and every file about to be overwritten or deleted is backed up there.
    Then deletes run (pruning directories they leave empty), then writes. If anything
    fails, the journal restores each backup, removes created files and directories, and the
    error is re-raised; the project is then byte-identical to before. Should the rollback
    itself fail, the staging directory with the backups is kept and named in a note on the
    exception.

    ``_fail_after`` is for tests: raise after that many filesystem changes.
    """
    writes = plan.writes
    deletes = plan.deletes
    if not writes and not deletes:
        return
    targets = {path: _target(root, path) for path in [*deletes, *writes]}
    state_dir = root / STATE_DIR
    made_state_dir = not state_dir.exists()
    state_dir.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=state_dir))
    journal = _Journal()
    keep_tmp = False
    try:
        staged = _stage(tmp, writes, targets)
        backups = _back_up(tmp, [targets[p] for p in targets])
        budget = _Budget(_fail_after)
        for path in deletes:
            _delete(root, targets[path], backups.get(targets[path]), journal, budget)
        for path in writes:
            target = targets[path]
            _write(root, target, staged[path], backups.get(target), journal, budget)
    except BaseException as exc:
        errors = journal.undo()
        if errors:
            keep_tmp = True
            exc.add_note(f"rollback incomplete, backups kept in {tmp}: " + "; ".join(errors))
        raise
    finally:
        if not keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
            if made_state_dir:
                _rmdir_quietly(state_dir)


@dataclass
class _Budget:
    """Counts filesystem changes and raises once ``limit`` is reached (tests only)."""

    limit: int | None
    used: int = 0

    def spend(self) -> None:
        if self.limit is not None and self.used >= self.limit:
            raise _InjectedFailure(f"simulated failure after {self.used} change(s)")
        self.used += 1


def _target(root: Path, path: str) -> Path:
    """Refuse anything but a plain relative path, so a plan can never write outside root."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        raise ValueError(f"unsafe path in merge plan: {path!r}")
    if "\\" in path or str(pure) != path:
        raise ValueError(f"not a normalised posix relative path: {path!r}")
    return root.joinpath(*pure.parts)


def _stage(tmp: Path, writes: Mapping[str, bytes], targets: Mapping[str, Path]) -> dict[str, Path]:
    """Write every new content into ``tmp`` first, keeping an existing file's mode."""
    staged_dir = tmp / "staged"
    staged_dir.mkdir()
    staged: dict[str, Path] = {}
    for i, (path, content) in enumerate(writes.items()):
        file = staged_dir / str(i)
        file.write_bytes(content)  # plain open: the umask gives new files their usual mode
        target = targets[path]
        if target.is_file() and not target.is_symlink():
            shutil.copymode(target, file)
        staged[path] = file
    return staged


def _back_up(tmp: Path, targets: Sequence[Path]) -> dict[Path, Path]:
    """Copy every existing target (content, mode, times; links as links) into ``tmp``."""
    backup_dir = tmp / "backup"
    backup_dir.mkdir()
    backups: dict[Path, Path] = {}
    for i, target in enumerate(targets):
        if target.is_symlink() or target.is_file():
            backups[target] = backup_dir / str(i)
            shutil.copy2(target, backups[target], follow_symlinks=False)
    return backups


def _delete(
    root: Path, target: Path, backup: Path | None, journal: _Journal, budget: _Budget
) -> None:
    if backup is None:
        raise FileNotFoundError(f"cannot delete {target}: it is no longer a file (stale plan?)")
    budget.spend()
    target.unlink()
    journal.record("deleted", target, backup)
    parent = target.parent
    while parent != root and _is_empty_dir(parent):
        budget.spend()
        mode = stat.S_IMODE(parent.stat().st_mode)
        parent.rmdir()
        journal.record("rmdir", parent, mode=mode)
        parent = parent.parent


def _write(
    root: Path,
    target: Path,
    staged: Path,
    backup: Path | None,
    journal: _Journal,
    budget: _Budget,
) -> None:
    missing: list[Path] = []
    parent = target.parent
    while parent != root and not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for directory in reversed(missing):
        budget.spend()
        directory.mkdir()
        journal.record("mkdir", directory)
    budget.spend()
    _replace(staged, target)
    journal.record("replaced" if backup is not None else "created", target, backup)


def _is_empty_dir(path: Path) -> bool:
    try:
        return path.is_dir() and not path.is_symlink() and not any(path.iterdir())
    except OSError:
        return False


def _rmdir_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()
