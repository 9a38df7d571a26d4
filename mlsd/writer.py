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
