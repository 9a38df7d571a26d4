"""Write a rendered tree into a folder all at once, or not at all.

A fresh target is staged in a sibling temporary folder and renamed into place in one step.
An existing target (with --force) goes through `merge.apply_plan`, which backs up and rolls
back in the same way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _write_files(root: Path, tree: Mapping[str, bytes]) -> None:
    for rel, data in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _first_missing(path: Path) -> Path | None:
    """The outermost folder of `path` that does not exist yet (None if it exists)."""
    missing = None
    while not path.exists():
        missing, path = path, path.parent
    return missing


def write_new(target: Path, tree: Mapping[str, bytes]) -> None:
    """Create `target` (absent or empty) holding exactly `tree`; on failure, leave no trace."""
    created = _first_missing(target.parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.mlsd-", dir=target.parent))
    try:
        _write_files(staging, tree)
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; the project gets the umask
        if target.exists():
            target.rmdir()  # only ever called on an empty folder
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise
