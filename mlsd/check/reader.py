"""Read a repository's files: each file at most once, each kind parsed at most once.

Python with `ast`, notebooks with `json`, YAML with the C safe loader when available.
Anything unreadable is recorded as skipped with a reason and never raises.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
from collections import defaultdict
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from mlsd.check.findings import Skipped
from mlsd.check.pyfacts import PyModule, notebook_source
from mlsd.check.walk import FileEntry

try:
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

_TEST_PARTS = frozenset({"tests", "test", "testing", "__tests__"})


@lru_cache(maxsize=65536)
def is_test_path(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    if any(p in _TEST_PARTS for p in parts[:-1]):
        return True
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


class RepoFiles:
    """The files of one walk and their cached reads."""

    def __init__(
        self, root: Path, files: list[FileEntry], skipped: list[Skipped], max_bytes: int
    ) -> None:
        self.root = root
        self.files = files
        self.skipped = skipped
        self.by_path = {f.rel: f for f in files}
        self.by_kind: dict[str, list[FileEntry]] = defaultdict(list)
        for f in files:
            self.by_kind[f.kind].append(f)
        self._text: dict[str, str | None] = {}
        self._py: dict[str, PyModule | None] = {}
        self._yaml: dict[str, list[Any]] = {}
        self.max_bytes = max_bytes

    def release(self) -> None:
        """Free the parsed modules (their facts hold cycles) and the cached reads."""
        for mod in self._py.values():
            if mod is not None:
                mod.release()
        self._py.clear()
        self._text.clear()
        self._yaml.clear()

    # -- reading ------------------------------------------------------------------
    def skip(self, rel: str, reason: str) -> None:
        self.skipped.append(Skipped(rel, reason))

    def text(self, rel: str) -> str | None:
        """The file's text, or None (and a skipped entry) if it cannot be read as UTF-8."""
        if rel in self._text:
            return self._text[rel]
        entry = self.by_path.get(rel)
        result: str | None = None
        if entry is None:
            pass
        elif entry.size > self.max_bytes:
            self.skip(rel, f"too large ({entry.size // 1024} KB > {self.max_bytes // 1024} KB)")
        else:
            try:
                with open(entry.abs, "rb") as fh:
                    data = fh.read(self.max_bytes + 1)
            except OSError as exc:
                self.skip(rel, f"unreadable: {exc.strerror or type(exc).__name__}")
            else:
                if b"\x00" in data[:8192]:
                    self.skip(rel, "binary file")
                else:
                    try:
                        result = data.decode("utf-8")
                        if result.startswith("\ufeff"):
                            result = result[1:]
                    except UnicodeDecodeError:
                        self.skip(rel, "invalid UTF-8")
        self._text[rel] = result
        return result

    def head(self, rel: str, n: int = 512) -> bytes:
        """The first bytes of a file we otherwise never read (artefacts, LFS pointers)."""
        entry = self.by_path.get(rel)
        if entry is None:
            return b""
        try:
            with open(entry.abs, "rb") as fh:
                return fh.read(n)
        except OSError:
            return b""

    @property
    def texts_read(self) -> dict[str, str]:
        return {k: v for k, v in self._text.items() if v is not None}

    # -- python and notebooks -----------------------------------------------------
    def python(self, rel: str) -> PyModule | None:
        if rel in self._py:
            return self._py[rel]
        mod: PyModule | None = None
        text = self.text(rel)
        if text is not None:
            if rel.endswith(".ipynb"):
                mod = self._notebook(rel, text)
            else:
                try:
                    mod = PyModule(rel, text, ast.parse(text, filename=rel))
                except SyntaxError as exc:
                    self.skip(rel, f"syntax error at line {exc.lineno}: {exc.msg}")
                except (ValueError, RecursionError, MemoryError) as exc:
                    self.skip(rel, f"cannot parse: {type(exc).__name__}")
        self._py[rel] = mod
        return mod

    def _notebook(self, rel: str, text: str) -> PyModule | None:
        try:
            data = json.loads(text)
            cells = [
                c.get("source", "")
                for c in data.get("cells", [])
                if isinstance(c, dict) and c.get("cell_type") == "code"
            ]
            cells = ["".join(s) if isinstance(s, list) else str(s) for s in cells]
        except (ValueError, AttributeError, TypeError) as exc:
            self.skip(rel, f"notebook is not valid JSON: {type(exc).__name__}")
            return None
        source, cell_of_line, bad = notebook_source(cells)
        for number in bad:
            self.skip(f"{rel}#cell{number}", "notebook cell has a syntax error")
        try:
            tree = compile(source, rel, "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except (SyntaxError, ValueError, RecursionError):
            self.skip(rel, "notebook code cells do not parse together")
            return None
        return PyModule(rel, source, tree, cell_of_line)

    def yaml_docs(self, rel: str) -> list[Any]:
        if rel in self._yaml:
            return self._yaml[rel]
        docs: list[Any] = []
        text = self.text(rel)
        if text is not None:
            if "{{" in text and "}}" in text:
                self.skip(rel, "templated YAML (Helm/Jinja) is not parsed")
            else:
                import yaml

                try:
                    docs = [d for d in yaml.load_all(text, Loader=_YamlLoader) if d is not None]
                except (yaml.YAMLError, RecursionError, ValueError) as exc:
                    self.skip(rel, f"invalid YAML: {type(exc).__name__}")
                    docs = []
        self._yaml[rel] = docs
        return docs

    # -- lookups --------------------------------------------------------------------
    def line_of(self, rel: str, needle: str, default: int = 1, start: int = 1) -> int:
        """The first line at or after `start` that contains `needle`."""
        text = self.text(rel)
        if not text:
            return default
        offset = 0
        if start > 1:
            for _ in range(start - 1):
                offset = text.find("\n", offset) + 1
                if offset == 0:
                    return default
        idx = text.find(needle, offset)
        return text.count("\n", 0, idx) + 1 if idx >= 0 else default

    def glob(self, *patterns: str) -> list[str]:
        """Paths matching any fnmatch pattern (case-insensitive, on the whole path)."""
        pats = [p.lower() for p in patterns]
        return [f.rel for f in self.files if any(fnmatch.fnmatch(f.rel.lower(), p) for p in pats)]

    def named(self, *names: str) -> list[str]:
        """Paths whose file name (case-insensitive) is one of `names`."""
        wanted = {n.lower() for n in names}
        return [f.rel for f in self.files if f.rel.rsplit("/", 1)[-1].lower() in wanted]

    @cached_property
    def readme(self) -> str | None:
        candidates = [f.rel for f in self.files if re.fullmatch(r"readme(\.\w+)?", f.rel.lower())]
        return candidates[0] if candidates else None

    def repo_anchor(self) -> str:
        """The file a repository-level finding points at."""
        for rel in (self.readme, "pyproject.toml", "setup.py", "requirements.txt"):
            if rel and rel in self.by_path:
                return rel
        texts = [f.rel for f in self.files if f.kind not in ("artifact", "other")]
        return texts[0] if texts else (self.files[0].rel if self.files else ".")

    def matches(self, rel: str, globs: list[str]) -> bool:
        return any(
            fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, g.rstrip("/") + "/*") for g in globs
        )


def file_size(files: RepoFiles, rel: str) -> int:
    """Size in bytes, reading a Git LFS pointer's `size` line when the file is one."""
    entry = files.by_path[rel]
    if entry.size < 1024:
        head = files.head(rel, 1024)
        if head.startswith(b"version https://git-lfs"):
            m = re.search(rb"^size (\d+)", head, re.M)
            if m:
                return int(m.group(1))
    return entry.size


def is_lfs_pointer(files: RepoFiles, rel: str) -> bool:
    entry = files.by_path[rel]
    return entry.size < 1024 and files.head(rel, 64).startswith(b"version https://git-lfs")


def path_parts(rel: str) -> list[str]:
    return rel.lower().replace(os.sep, "/").split("/")
