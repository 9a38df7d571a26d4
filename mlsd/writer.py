"""Write a rendered tree into a folder all at once, or not at all.

A fresh target is staged in a sibling temporary folder and renamed into place in one step.
An existing target (with --force) gets each file staged, the old files backed up, and every
change rolled back if anything fails midway.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from mlsd.errors import InternalError


def _write_files(root: Path, tree: Mapping[str, bytes]) -> None:
    for rel, data in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def write_new(target: Path, tree: Mapping[str, bytes]) -> None:
    """Create `target` (absent or empty) holding exactly `tree`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.mlsd-", dir=target.parent))
    try:
        _write_files(staging, tree)
        if target.exists():
            target.rmdir()  # only ever called on an empty folder
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_over(target: Path, tree: Mapping[str, bytes]) -> None:
    """Replace the given files inside an existing `target`; all or nothing."""
    staging = Path(tempfile.mkdtemp(prefix=".mlsd-stage-", dir=target))
    backups: dict[Path, Path | None] = {}
    new_dirs: list[Path] = []
    try:
        _write_files(staging / "new", tree)
        for rel in tree:
            dest = target / rel
            if dest.exists():
                backup = staging / "old" / rel
                backup.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(dest, backup)
                backups[dest] = backup
            else:
                backups[dest] = None
            new_dirs.extend(_missing_parents(dest.parent, target))
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / "new" / rel, dest)
    except BaseException as exc:
        for dest, backup in backups.items():
            if backup is None:
                dest.unlink(missing_ok=True)
            else:
                os.replace(backup, dest)
        for folder in sorted(set(new_dirs), key=lambda p: len(p.parts), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise InternalError(f"could not write {target}: {exc}; nothing was changed") from exc
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _missing_parents(folder: Path, root: Path) -> list[Path]:
    """The folders between `root` and `folder` that do not exist yet."""
    missing = []
    while folder != root and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing
