"""Walk a repository once: classify files, honour .gitignore and excludes, never follow a
symlink out of the tree (or into a directory), and report what was skipped and why."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pathspec

from mlsd.check.findings import Skipped

VENDORED = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".env",
        "node_modules",
        "vendor",
        "third_party",
        "site-packages",
        "build",
        "dist",
        "__pycache__",
        ".mlsd",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        ".eggs",
    }
)

MODEL_EXTENSIONS = frozenset(
    {
        ".onnx",
        ".pt",
        ".pth",
        ".bin",
        ".h5",
        ".hdf5",
        ".keras",
        ".pkl",
        ".pickle",
        ".joblib",
        ".sav",  # pickle/joblib under the name scikit-learn tutorials give it
        ".safetensors",
        ".ckpt",
        ".pb",
        ".tflite",
        ".gguf",
        ".ggml",
        ".mar",
        ".cbm",
        ".mlmodel",
        ".xgb",
        ".ubj",
    }
)

TEXT_CONFIG = frozenset({".sh", ".cfg", ".ini", ".env", ".conf", ".tf", ".json", ".js", ".txt"})


@dataclass(frozen=True)
class FileEntry:
    rel: str  # repository-relative posix path
    abs: Path
    size: int
    kind: str


def classify(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    lower = name.lower()
    suffix = os.path.splitext(lower)[1]
    if suffix == ".py":
        return "python"
    if suffix == ".ipynb":
        return "notebook"
    if lower in ("dockerfile", "containerfile") or lower.startswith(
        ("dockerfile.", "containerfile.")
    ):
        return "dockerfile"
    if lower.endswith(".dockerfile"):
        return "dockerfile"
    if suffix in (".yml", ".yaml"):
        return "yaml"
    if suffix == ".toml":
        return "toml"
    if suffix == ".txt" and ("requirements" in lower or "/requirements/" in f"/{rel.lower()}"):
        return "requirements"
    if suffix in (".md", ".rst", ".markdown") or lower.startswith("readme"):
        return "markdown"
    if suffix in MODEL_EXTENSIONS:
        return "artifact"
    if suffix in TEXT_CONFIG or lower in ("codeowners", "owners", "mlproject", "jenkinsfile"):
        return "text"
    return "other"


class _Ignore:
    """A stack of .gitignore specs, each relative to the folder holding it."""

    def __init__(self) -> None:
        self.specs: list[tuple[str, pathspec.PathSpec]] = []

    def push(self, base: str, lines: list[str]) -> None:
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
        self.specs.append((base, spec))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        for base, spec in self.specs:
            if base and not rel.startswith(base + "/"):
                continue
            sub = rel[len(base) + 1 :] if base else rel
            if spec.match_file(sub + "/" if is_dir else sub):
                return True
        return False


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def walk(
    root: Path, exclude: list[str], respect_gitignore: bool = True
) -> tuple[list[FileEntry], list[Skipped]]:
    files: list[FileEntry] = []
    skipped: list[Skipped] = []
    real_root = os.path.realpath(root)
    excl = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    ignore = _Ignore()
    stack: list[tuple[str, int]] = [("", 0)]  # (rel dir, depth of its gitignore stack)
    while stack:
        rel_dir, depth = stack.pop()
        del ignore.specs[depth:]
        abs_dir = os.path.join(root, rel_dir) if rel_dir else str(root)
        if respect_gitignore:
            gi = os.path.join(abs_dir, ".gitignore")
            if os.path.isfile(gi) and not os.path.islink(gi):
                ignore.push(rel_dir, _read_lines(Path(gi)))
        depth_here = len(ignore.specs)
        try:
            with os.scandir(abs_dir) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(rel_dir or ".", f"unreadable folder: {exc.strerror or exc}"))
            continue
        subdirs: list[str] = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                skipped.append(Skipped(rel, f"unreadable: {exc.strerror or exc}"))
                continue
            if is_dir and (entry.name in VENDORED or entry.name.endswith(".egg-info")):
                continue
            if excl is not None and excl.match_file(rel + "/" if is_dir else rel):
                continue
            if respect_gitignore and ignore.specs and ignore.ignored(rel, is_dir):
                continue
            if is_link:
                reason = _symlink_problem(entry.path, real_root)
                if reason:
                    skipped.append(Skipped(rel, reason))
                    continue
            if is_dir:
                if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    continue  # a virtual environment under another name
                subdirs.append(rel)
                continue
            try:
                info = entry.stat(follow_symlinks=True)
            except OSError as exc:
                skipped.append(Skipped(rel, f"unreadable: {exc.strerror or exc}"))
                continue
            if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block a read forever
                skipped.append(Skipped(rel, "not a regular file (FIFO, socket or device)"))
                continue
            files.append(FileEntry(rel, Path(entry.path), info.st_size, classify(rel)))
        for sub in reversed(subdirs):
            stack.append((sub, depth_here))
    return files, skipped


def _symlink_problem(path: str, real_root: str) -> str | None:
    """Why a symlink is not followed, or None for a link to a file inside the tree."""
    try:
        target = os.path.realpath(path, strict=True)
    except RuntimeError:
        return "symlink loop"
    except OSError as exc:
        if getattr(exc, "errno", None) == 40:  # ELOOP
            return "symlink loop"
        return "broken symlink"
    if target != real_root and not target.startswith(real_root + os.sep):
        return "symlink points outside the repository (not followed)"
    if os.path.isdir(target):
        return "symlink to a folder (not followed)"
    return None
