"""The journal of a change in progress: what `mlsd abort` undoes and `mlsd status` names.

Before the first file of an add, remove, switch or upgrade changes, every path the change
will touch is copied into `.mlsd/operation/` together with a journal of what was there (its
content and mode, or its absence) and a digest of what the change writes. The journal file
is written last, atomically: until it exists nothing has been changed.

The journal goes when the change is complete (merged cleanly, or its conflicts resolved and
`mlsd resume` run). While it is there no other change may start, and `mlsd abort` puts every
path it lists back byte for byte: after a conflict, or after the process was killed midway.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlsd.errors import TargetError
from mlsd.state import STATE_DIR

OPERATION_DIR = f"{STATE_DIR}/operation"
JOURNAL_FILE = f"{OPERATION_DIR}/journal.json"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FileRecord:
    """One path the change touches: its backup (None: it did not exist) and what is written
    there (the digest of the new content; None: the change deletes it)."""

    backup: str | None
    mode: int | None
    after: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"backup": self.backup, "mode": self.mode, "after": self.after}


@dataclass(frozen=True)
class Operation:
    verb: str  # add, remove, switch or upgrade
    patterns: tuple[str, ...]
    files: dict[str, FileRecord]
    new_dirs: tuple[str, ...]  # folders the change may create, deepest first

    def describe(self) -> str:
        """`add of prediction-log`, `upgrade`: how messages name the change."""
        return f"{self.verb} of {', '.join(self.patterns)}" if self.patterns else self.verb

    def to_dict(self) -> dict[str, Any]:
        return {"verb": self.verb, "patterns": list(self.patterns)}

    def before(self, root: Path, path: str) -> bytes | None:
        """The content ``path`` had before the change (None: it did not exist)."""
        record = self.files[path]
        if record.backup is None:
            return None
        return (root / OPERATION_DIR / record.backup).read_bytes()


def begin(
    root: Path,
    verb: str,
    patterns: Sequence[str],
    writes: Mapping[str, bytes],
    deletes: Sequence[str],
) -> Operation:
    """Back up every path the change touches, then write the journal. Nothing is changed."""
    folder = root / OPERATION_DIR
    if folder.exists():  # a journal never finished: nothing was changed under it
        shutil.rmtree(folder)
    (folder / "backup").mkdir(parents=True)
    (folder / ".gitignore").write_text("*\n")  # never committed by a `git add -A` meanwhile
    files: dict[str, FileRecord] = {}
    new_dirs: set[str] = set()
    for i, rel in enumerate(sorted({*writes, *deletes})):
        target = root / rel
        after = digest(writes[rel]) if rel in writes else None
        if target.is_file() or target.is_symlink():
            backup = f"backup/{i}"
            shutil.copy2(target, folder / backup, follow_symlinks=False)
            mode = stat.S_IMODE(target.lstat().st_mode)
            files[rel] = FileRecord(backup, mode, after)
        else:
            files[rel] = FileRecord(None, None, after)
            parent = target.parent
            while parent != root and not parent.exists():
                new_dirs.add(parent.relative_to(root).as_posix())
                parent = parent.parent
    operation = Operation(
        verb,
        tuple(patterns),
        files,
        tuple(sorted(new_dirs, key=lambda d: (-d.count("/"), d))),
    )
    data = {
        **operation.to_dict(),
        "files": {p: r.to_dict() for p, r in files.items()},
        "new_dirs": list(operation.new_dirs),
    }
    _write_atomically(root / JOURNAL_FILE, json.dumps(data, indent=1, sort_keys=True).encode())
    return operation


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def finish(root: Path) -> None:
    """The change is complete: drop the journal and its backups."""
    shutil.rmtree(root / OPERATION_DIR, ignore_errors=True)


def read_operation(root: Path) -> Operation | None:
    """The change in progress, or None. A journal that cannot be read is refused clearly."""
    path = root / JOURNAL_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        files = {
            str(p): FileRecord(r["backup"], r["mode"], r["after"]) for p, r in data["files"].items()
        }
        return Operation(
            str(data["verb"]),
            tuple(map(str, data["patterns"])),
            files,
            tuple(map(str, data["new_dirs"])),
        )
    except (ValueError, KeyError, TypeError, AttributeError, OSError):
        raise TargetError(
            f"{path} is damaged, so the change in progress cannot be undone or finished",
            hint=f"restore the project from version control and delete {OPERATION_DIR}",
        ) from None


def restore(root: Path, operation: Operation) -> list[str]:
    """Put every path the change touched back as it was; returns the paths that differed."""
    folder = root / OPERATION_DIR
    changed: list[str] = []
    for rel, record in sorted(operation.files.items()):
        target = root / rel
        if record.backup is None:
            if target.is_file() or target.is_symlink():
                target.unlink()
                changed.append(rel)
            continue
        backup = folder / record.backup
        if _same(target, backup):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.mlsd-restore")
        shutil.copy2(backup, staged, follow_symlinks=False)
        if record.mode is not None and not staged.is_symlink():
            os.chmod(staged, record.mode)
        os.replace(staged, target)
        changed.append(rel)
    for rel in operation.new_dirs:
        directory = root / rel
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    for leftover in (root / STATE_DIR).glob("tmp-*"):  # staging of an apply that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    return changed


def _same(target: Path, backup: Path) -> bool:
    if target.is_symlink() or backup.is_symlink():
        return (
            target.is_symlink()
            and backup.is_symlink()
            and os.readlink(target) == os.readlink(backup)
        )
    return target.is_file() and target.read_bytes() == backup.read_bytes()


def unfinished_writes(
    root: Path, operation: Operation, *, sidecars: Sequence[str], conflicts: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Paths the change wrote that are now missing, and those put back to their old content
    (a `git checkout .`): either way the recorded answers must not advance. Sidecars go
    once applied, and a conflict may be resolved by keeping one's own version."""
    missing, reverted = [], []
    for rel, record in sorted(operation.files.items()):
        if record.after is None or rel in sidecars or rel.startswith(f"{STATE_DIR}/"):
            continue
        target = root / rel
        if not target.is_file():
            missing.append(rel)
            continue
        now = digest(target.read_bytes())
        if record.backup is not None and now != record.after and rel not in conflicts:
            old = digest(operation.before(root, rel) or b"")
            if now == old:
                reverted.append(rel)
    return missing, reverted
