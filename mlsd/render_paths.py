"""Which project paths a template source emits: its `files/` tree, `.j2` suffixes dropped.

Shared by the renderer and by the pack checks (a pack may not emit a path that another
source owns)."""

from __future__ import annotations

from pathlib import Path


def source_files(folder: Path) -> list[Path]:
    files_dir = folder / "files"
    if not files_dir.is_dir():
        return []
    return sorted(p for p in files_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def emitted_paths(folder: Path) -> list[str]:
    files_dir = folder / "files"
    out = []
    for file in source_files(folder):
        rel = file.relative_to(files_dir).as_posix()
        out.append(rel[: -len(".j2")] if rel.endswith(".j2") else rel)
    return out
