"""Carry out a merge plan atomically: staging, backups, a journal, rollback.

`apply_plan` either makes every change of a plan or leaves the project byte-identical to
before: new contents are staged next to the project, every file about to change is backed
up, and a journal undoes what was done when anything fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from mlsd.merge.plan import MergePlan

STATE_DIR = ".mlsd"
"""Directory inside the project where `apply_plan` stages files; removed again if it made it."""


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
