"""A change in progress: `mlsd status` names it, `mlsd resume` finishes it, `mlsd abort` undoes it.

A change (add, remove, switch, upgrade) that left conflicts parks its new recorded answers in
`.mlsd/pending.json`; its journal (`mlsd.operation`) holds what every touched path was before.
`resume` advances the answers once no marker or sidecar is left and every file the change
wrote is still there; `abort` puts the touched paths back byte for byte. A change that was
killed midway has a journal but no pending state: only `abort` applies to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlsd import operation
from mlsd.errors import ConflictError, TargetError, UsageError
from mlsd.merge import START_MARKER, MergePlan, apply_plan
from mlsd.operation import Operation, read_operation
from mlsd.state import (
    PENDING_FILE,
    Answers,
    find_root,
    read_answers,
    read_pending,
    retired_files,
)


@dataclass
class Status:
    root: Path
    answers: Answers
    conflicts: list[str]
    resolved: list[str]
    operation: Operation | None = None
    interrupted: bool = False  # a journal without pending state: the process was killed

    def to_dict(self) -> dict[str, Any]:
        in_progress = None
        if self.operation is not None:
            state = "interrupted" if self.interrupted else "conflicted"
            in_progress = {**self.operation.to_dict(), "state": state}
        return {
            "root": str(self.root),
            "mlsd_version": self.answers.mlsd_version,
            "patterns": list(self.answers.patterns),
            "pending": bool(self.conflicts or self.resolved or self.operation),
            "in_progress": in_progress,
            "conflicts": self.conflicts,
            "resolved": self.resolved,
        }


def _describe(op: Operation | None) -> str:
    return f"the {op.describe()}" if op is not None else "the last merge"


def check_idle(root: Path) -> None:
    """Refuse to start a change while another one is in progress."""
    op, pending = read_operation(root), read_pending(root)
    if pending is not None:
        raise TargetError(
            f"{_describe(op)} still has conflicts",
            hint="resolve them (`mlsd status` lists them) and run `mlsd resume`, "
            "or undo it with `mlsd abort`",
        )
    if op is not None:
        raise TargetError(
            f"{_describe(op)} was interrupted before it finished",
            hint="run `mlsd abort` to put the project back as it was, then run it again",
        )


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
    op, pending = read_operation(root), read_pending(root)
    if pending is None:
        return Status(root, answers, [], [], op, interrupted=op is not None)
    open_, done = _still_conflicted(root, pending)
    return Status(root, answers, open_, done, op)


def resume(root: Path) -> Status:
    """Finish a change whose conflicts the user has resolved: advance the recorded answers."""
    root = find_root(root)
    op, pending = read_operation(root), read_pending(root)
    if pending is None:
        if op is not None:
            check_idle(root)  # says it was interrupted and that only `abort` helps
        raise UsageError(
            "there is no change in progress: nothing to resume or abort",
            hint="`mlsd status` shows the project",
        )
    what = _describe(op)
    open_, _ = _still_conflicted(root, pending)
    if open_:
        raise ConflictError(
            f"{len(open_)} conflicts of {what} remain",
            hint="edit the files to remove the conflict markers (delete .rej/.mlsd-new files "
            f"once applied), then run `mlsd resume` again; or undo {what} with `mlsd abort`",
            details=open_,
        )
    if op is not None:
        _check_written(root, op, pending)
    files = pending["state"]
    apply_plan(root, MergePlan([]).with_files(files, retired_files(root, files)))
    (root / PENDING_FILE).unlink()
    operation.finish(root)
    return project_status(root)


def _check_written(root: Path, op: Operation, pending: dict[str, Any]) -> None:
    """Refuse to record the change while files it wrote are gone or reverted (a `git
    checkout .`): the answers would claim patterns whose files are not there."""
    missing, reverted = operation.unfinished_writes(
        root, op, sidecars=pending["sidecars"], conflicts=pending["conflicts"]
    )
    if missing or reverted:
        what = _describe(op)
        raise TargetError(
            f"{len(missing) + len(reverted)} files that {what} wrote are missing or back to "
            "their old content, so it cannot be recorded as done",
            hint=f"undo {what} with `mlsd abort` and run it again; or restore those files, "
            "then run `mlsd resume`",
            details=[f"missing: {p}" for p in missing] + [f"reverted: {p}" for p in reverted],
        )


@dataclass
class Aborted:
    root: Path
    operation: Operation
    restored: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "aborted": self.operation.to_dict(),
            "restored": self.restored,
        }


def abort(root: Path) -> Aborted:
    """Undo the change in progress: every path it touched gets its old bytes back."""
    root = find_root(root)
    op = read_operation(root)
    if op is None:
        if read_pending(root) is not None:
            raise TargetError(
                "the unfinished merge has no journal to undo it (an older mlsd started it)",
                hint="undo it with version control (`git checkout .`), or resolve its "
                "conflicts and run `mlsd resume`",
            )
        raise UsageError(
            "there is no change in progress: nothing to abort or resume",
            hint="`mlsd status` shows the project",
        )
    restored = operation.restore(root, op)
    operation.finish(root)
    return Aborted(root, op, restored)
