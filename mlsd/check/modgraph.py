"""The in-repository import graph: which file each dotted name is, what a module imports
from the repository, and the closure of modules reachable from a unit's entry points."""

from __future__ import annotations

from functools import cached_property

from mlsd.check.pyfacts import PyModule
from mlsd.check.reader import RepoFiles, is_test_path


class ModuleGraph(RepoFiles):
    """The repository's Python modules and notebooks, parsed lazily, and their imports."""

    @cached_property
    def modules(self) -> dict[str, PyModule]:
        """Every parseable .py file, with its dotted name set."""
        out = self._parsed("python")
        for rel, name in self._module_names.items():
            if rel in out:
                out[rel].name = name[0]
        return out

    @cached_property
    def notebooks(self) -> dict[str, PyModule]:
        return self._parsed("notebook")

    def _parsed(self, kind: str) -> dict[str, PyModule]:
        """Every file of `kind` that parses (the others are recorded as skipped)."""
        return {f.rel: m for f in self.by_kind[kind] if (m := self.python(f.rel)) is not None}

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

    def source_modules(self) -> list[PyModule]:
        """Non-test Python modules."""
        return [m for rel, m in self.modules.items() if not is_test_path(rel)]


def _index_order(item: tuple[str, list[str]]) -> tuple[int, int]:
    """Shallow files first; a package (`app/__init__.py`) before a module of the same name
    beside it (`app.py`), as Python's import system resolves `import app`."""
    rel = item[0]
    is_pkg = rel.endswith("/__init__.py")
    return rel.count("/") - is_pkg, 0 if is_pkg else 1
