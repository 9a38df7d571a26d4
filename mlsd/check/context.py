"""The shared, lazily-built view of a repository that every rule reads.

Each file is read at most once and each kind is parsed at most once (Python with `ast`,
notebooks with `json`, YAML with the C safe loader when available, Dockerfiles with our own
parser). Anything unreadable is recorded as skipped with a reason and never raises.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlsd.check.base import Skipped
from mlsd.check.config import Config
from mlsd.check.dockerfile import Dockerfile, parse_dockerfile
from mlsd.check.pyfacts import PyModule, notebook_source
from mlsd.check.walk import FileEntry

if TYPE_CHECKING:
    from mlsd.check.components import Components

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


@dataclass(frozen=True)
class K8sObject:
    path: str
    kind: str
    name: str
    doc: dict[str, Any]
    line: int

    def pod_spec(self) -> dict[str, Any]:
        spec = self.doc.get("spec") or {}
        if self.kind == "CronJob":
            spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
        if self.kind == "Pod":
            return spec if isinstance(spec, dict) else {}
        tpl = (spec.get("template") or {}) if isinstance(spec, dict) else {}
        pod = tpl.get("spec") if isinstance(tpl, dict) else None
        return pod if isinstance(pod, dict) else {}

    def containers(self) -> list[dict[str, Any]]:
        pod = self.pod_spec()
        out = [c for c in (pod.get("containers") or []) if isinstance(c, dict)]
        out += [c for c in (pod.get("initContainers") or []) if isinstance(c, dict)]
        return out


class Context:
    def __init__(
        self, root: Path, cfg: Config, files: list[FileEntry], skipped: list[Skipped]
    ) -> None:
        self.root = root
        self.cfg = cfg
        self.files = files
        self.skipped = skipped
        self.by_path = {f.rel: f for f in files}
        self.by_kind: dict[str, list[FileEntry]] = defaultdict(list)
        for f in files:
            self.by_kind[f.kind].append(f)
        self._text: dict[str, str | None] = {}
        self._py: dict[str, PyModule | None] = {}
        self._yaml: dict[str, list[Any]] = {}
        self.max_bytes = cfg.max_file_size_kb * 1024

    def close(self) -> None:
        """Drop every cache (and the cycles through `components`) once the rules ran."""
        for mod in self._py.values():
            if mod is not None:
                mod.release()
        self.__dict__.clear()

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

    @cached_property
    def modules(self) -> dict[str, PyModule]:
        """Every parseable .py file, with its dotted name set."""
        out: dict[str, PyModule] = {}
        for f in self.by_kind["python"]:
            mod = self.python(f.rel)
            if mod is not None:
                out[f.rel] = mod
        for rel, name in self._module_names.items():
            if rel in out:
                out[rel].name = name[0]
        return out

    @cached_property
    def notebooks(self) -> dict[str, PyModule]:
        out: dict[str, PyModule] = {}
        for f in self.by_kind["notebook"]:
            mod = self.python(f.rel)
            if mod is not None:
                out[f.rel] = mod
        return out

    @cached_property
    def _module_names(self) -> dict[str, list[str]]:
        """rel path -> dotted names it can be imported as (the preferred first)."""
        pkg_dirs = {
            f.rel.rsplit("/", 1)[0] for f in self.by_kind["python"] if f.rel.endswith("__init__.py")
        }
        out: dict[str, list[str]] = {}
        for f in self.by_kind["python"]:
            parts = f.rel[:-3].split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
                if not parts:
                    continue
            # the package root: climb while the folder is a package
            k = len(parts) - 1
            while k > 0 and "/".join(parts[:k]) in pkg_dirs:
                k -= 1
            names = [".".join(parts[k:])] if k < len(parts) else []
            if parts[0] == "src" and len(parts) > 1:
                names.append(".".join(parts[1:]))
            names.append(".".join(parts))
            out[f.rel] = list(dict.fromkeys(n for n in names if n))
        return out

    @cached_property
    def module_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for rel, names in sorted(self._module_names.items(), key=_index_order):
            for n in names:
                index.setdefault(n, rel)
        return index

    def resolve(self, mod: PyModule, module: str, names: tuple[str, ...], level: int) -> list[str]:
        """In-repo files an import refers to (the module and any imported submodules)."""
        if level:
            by_folder = self._resolve_by_folder(mod.path, module, names, level)
            if by_folder:
                return by_folder
            base = (mod.name or "").split(".")
            is_pkg = mod.path.endswith("__init__.py")
            base = base if is_pkg else base[:-1]
            if level > 1:
                base = base[: len(base) - (level - 1)]
            module = ".".join([*base, module] if module else base)
        out: list[str] = []
        index = self.module_index
        for n in names:
            target = index.get(f"{module}.{n}")
            if target:
                out.append(target)
        parts = module.split(".")
        for k in range(len(parts), 0, -1):
            target = index.get(".".join(parts[:k]))
            if target:
                out.append(target)
                break
        return out

    def _resolve_by_folder(
        self, rel: str, module: str, names: tuple[str, ...], level: int
    ) -> list[str]:
        """A relative import resolved against the importing file's folder (works for
        namespace packages without `__init__.py`, where dotted names are ambiguous)."""
        folder = rel.split("/")[:-1]
        if level > 1:
            folder = folder[: len(folder) - (level - 1)]
        base = "/".join([*folder, *module.split(".")] if module else folder)
        out: list[str] = []
        for n in names:
            for cand in (f"{base}/{n}.py", f"{base}/{n}/__init__.py"):
                if cand.lstrip("/") in self.by_path:
                    out.append(cand.lstrip("/"))
        for cand in (f"{base}.py", f"{base}/__init__.py"):
            if module and cand.lstrip("/") in self.by_path:
                out.append(cand.lstrip("/"))
        return out

    def in_repo_imports(self, mod: PyModule) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for imp in mod.imports:
            for target in self.resolve(mod, imp.module, imp.names, imp.level):
                if target != mod.path:
                    out.append((target, imp.line))
        return out

    def closure(self, entries: list[str]) -> dict[str, tuple[str, int] | None]:
        """Modules reachable by in-repo imports: rel -> (importer, line) or None for an entry."""
        seen: dict[str, tuple[str, int] | None] = {}
        queue: list[str] = []
        for e in entries:
            if e in self.modules and e not in seen:
                seen[e] = None
                queue.append(e)
        while queue:
            rel = queue.pop(0)
            for target, line in self.in_repo_imports(self.modules[rel]):
                if target not in seen and target in self.modules and not is_test_path(target):
                    seen[target] = (rel, line)
                    queue.append(target)
        return seen

    # -- other kinds ----------------------------------------------------------------
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

    @cached_property
    def dockerfiles(self) -> dict[str, Dockerfile]:
        out = {}
        for f in self.by_kind["dockerfile"]:
            text = self.text(f.rel)
            if text is not None:
                out[f.rel] = parse_dockerfile(f.rel, text)
        return out

    @cached_property
    def k8s_objects(self) -> list[K8sObject]:
        out: list[K8sObject] = []
        for f in self.by_kind["yaml"]:
            text = self.text(f.rel)
            if text is None or "kind:" not in text or "apiVersion" not in text:
                continue
            starts = [1] + [
                text.count("\n", 0, m.start()) + 2 for m in re.finditer(r"^---", text, re.M)
            ]
            if text.lstrip().startswith("---"):
                starts = starts[1:]
            for n, doc in enumerate(self.yaml_docs(f.rel)):
                if not isinstance(doc, dict) or not isinstance(doc.get("kind"), str):
                    continue
                doc_start = starts[n] if n < len(starts) else 1
                items = doc.get("items") if doc["kind"].endswith("List") else [doc]
                for d in items or []:
                    if isinstance(d, dict) and isinstance(d.get("kind"), str):
                        meta = d.get("metadata") or {}
                        name = str(meta.get("name", "")) if isinstance(meta, dict) else ""
                        line = self.line_of(f.rel, f"name: {name}", doc_start, doc_start)
                        out.append(K8sObject(f.rel, d["kind"], name, d, line))
        return out

    @cached_property
    def compose_files(self) -> dict[str, dict[str, Any]]:
        """compose file -> its services mapping."""
        out: dict[str, dict[str, Any]] = {}
        for f in self.by_kind["yaml"]:
            name = f.rel.rsplit("/", 1)[-1]
            if not (name.startswith(("compose", "docker-compose"))):
                continue
            for doc in self.yaml_docs(f.rel):
                if isinstance(doc, dict) and isinstance(doc.get("services"), dict):
                    out[f.rel] = doc["services"]
        return out

    @cached_property
    def pyprojects(self) -> dict[str, dict[str, Any]]:
        out = {}
        for f in self.by_kind["toml"]:
            if not f.rel.endswith("pyproject.toml"):
                continue
            text = self.text(f.rel)
            if text is None:
                continue
            try:
                out[f.rel] = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                self.skip(f.rel, f"invalid TOML: {exc}")
        return out

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

    def source_modules(self) -> list[PyModule]:
        """Non-test Python modules."""
        return [m for rel, m in self.modules.items() if not is_test_path(rel)]

    def matches(self, rel: str, globs: list[str]) -> bool:
        return any(
            fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, g.rstrip("/") + "/*") for g in globs
        )

    @cached_property
    def components(self) -> Components:
        from mlsd.check.components import find_components

        return find_components(self)

    def env(self, key: str) -> int:
        return self.cfg.thresholds[key]


def _index_order(item: tuple[str, list[str]]) -> tuple[int, int]:
    """Shallow files first; a package (`app/__init__.py`) before a module of the same name
    beside it (`app.py`), as Python's import system resolves `import app`."""
    rel = item[0]
    is_pkg = rel.endswith("/__init__.py")
    return rel.count("/") - is_pkg, 0 if is_pkg else 1


def file_size(ctx: Context, rel: str) -> int:
    """Size in bytes, reading a Git LFS pointer's `size` line when the file is one."""
    entry = ctx.by_path[rel]
    if entry.size < 1024:
        head = ctx.head(rel, 1024)
        if head.startswith(b"version https://git-lfs"):
            m = re.search(rb"^size (\d+)", head, re.M)
            if m:
                return int(m.group(1))
    return entry.size


def is_lfs_pointer(ctx: Context, rel: str) -> bool:
    entry = ctx.by_path[rel]
    return entry.size < 1024 and ctx.head(rel, 64).startswith(b"version https://git-lfs")


def path_parts(rel: str) -> list[str]:
    return rel.lower().replace(os.sep, "/").split("/")
