"""Facts about one Python module (or a notebook's code cells), computed from one parse.

`imports` come from a cheap pass over statements; the full walk (calls, strings, functions,
classes) runs only when a rule asks for it, and at most once per module.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class ImportFact:
    module: str  # as written (without leading dots)
    names: tuple[str, ...]
    line: int
    level: int = 0


@dataclass
class CallFact:
    name: str  # dotted callee, e.g. "joblib.load", "app.post", "?.fit"
    line: int
    col: int
    node: ast.Call
    func: FunctionFact | None = None
    cls: ClassFact | None = None

    @property
    def attr(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def kwargs(self) -> tuple[str, ...]:
        return tuple(k.arg for k in self.node.keywords if k.arg)

    def arg0(self) -> str | None:
        """The first argument if it is a string literal."""
        if self.node.args:
            a = self.node.args[0]
            if isinstance(a, ast.Constant) and isinstance(a.value, str):
                return a.value
        return None

    def source(self) -> str:
        return ast.unparse(self.node)


@dataclass
class FunctionFact:
    name: str
    line: int
    node: ast.FunctionDef | ast.AsyncFunctionDef
    cls: ClassFact | None
    decorators: list[CallFact | str] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)


@dataclass
class ClassFact:
    name: str
    line: int
    bases: tuple[str, ...]
    node: ast.ClassDef
    methods: list[FunctionFact] = field(default_factory=list)


def dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        parts.append(dotted(node.func) + "()")
    else:
        parts.append("?")
    return ".".join(reversed(parts))


_NESTED_IMPORT = re.compile(r"^[ \t]+(?:import|from)[ \t]+[\w.]", re.M)
_COMPOUND = (ast.If, ast.Try, ast.With, ast.For, ast.While, ast.TryStar)


def _is_type_checking(test: ast.expr) -> bool:
    return dotted(test).endswith("TYPE_CHECKING")


class PyModule:
    """A parsed module: `path` is repo-relative; `notebook` maps virtual lines to cells."""

    def __init__(
        self, path: str, text: str, tree: ast.Module, cell_of_line: list[int] | None = None
    ):
        self.path = path
        self.text = text
        self.tree = tree
        self.cell_of_line = cell_of_line
        self.name = ""  # dotted name, set by the index

    @property
    def is_notebook(self) -> bool:
        return self.cell_of_line is not None

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def where(self, line: int) -> str:
        if self.cell_of_line and 0 < line <= len(self.cell_of_line):
            return f" (cell {self.cell_of_line[line - 1]})"
        return ""

    @cached_property
    def imports(self) -> list[ImportFact]:
        out: list[ImportFact] = []
        if _NESTED_IMPORT.search(self.text):
            nodes = [n for n in ast.walk(self.tree) if isinstance(n, ast.Import | ast.ImportFrom)]
            skip = self._type_checking_imports()
        else:
            nodes, skip = self._shallow_imports(self.tree.body), set()
        for n in nodes:
            if id(n) in skip:
                continue
            if isinstance(n, ast.Import):
                for a in n.names:
                    out.append(ImportFact(a.name, (), n.lineno))
            elif isinstance(n, ast.ImportFrom):
                names = tuple(a.name for a in n.names)
                out.append(ImportFact(n.module or "", names, n.lineno, n.level or 0))
        return out

    def _shallow_imports(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in body:
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                out.append(stmt)
            elif isinstance(stmt, ast.If) and _is_type_checking(stmt.test):
                out.extend(self._shallow_imports(stmt.orelse))
            elif isinstance(stmt, _COMPOUND):
                for attr in ("body", "orelse", "finalbody", "handlers"):
                    sub = getattr(stmt, attr, None) or []
                    if attr == "handlers":
                        for h in sub:
                            out.extend(self._shallow_imports(h.body))
                    else:
                        out.extend(self._shallow_imports(sub))
        return out

    def _type_checking_imports(self) -> set[int]:
        skip: set[int] = set()
        for n in ast.walk(self.tree):
            if isinstance(n, ast.If) and _is_type_checking(n.test):
                for stmt in n.body:
                    for m in ast.walk(stmt):
                        skip.add(id(m))
        return skip

    @cached_property
    def top_packages(self) -> frozenset[str]:
        """Top-level names of absolute imports (external or in-repo)."""
        return frozenset(i.module.split(".")[0] for i in self.imports if i.level == 0 and i.module)

    @cached_property
    def imported_modules(self) -> frozenset[str]:
        out: set[str] = set()
        for i in self.imports:
            if i.level == 0 and i.module:
                out.add(i.module)
                out.update(f"{i.module}.{n}" for n in i.names)
        return frozenset(out)

    @cached_property
    def _import_prefixes(self) -> frozenset[str]:
        out: set[str] = set()
        for mod in self.imported_modules:
            parts = mod.split(".")
            out.update(".".join(parts[:k]) for k in range(1, len(parts) + 1))
        return frozenset(out)

    def imports_any(self, prefixes: frozenset[str] | set[str]) -> bool:
        """True if an import is one of `prefixes` or below one (`google.cloud.storage`)."""
        return not self._import_prefixes.isdisjoint(prefixes)

    @cached_property
    def constants(self) -> dict[str, list[str]]:
        """Module-level `NAME = <expr>` -> the string literals in <expr> (computed once:
        every model load of the module resolves its names through it)."""
        out: dict[str, list[str]] = {}
        for stmt in self.tree.body if self.tree is not None else []:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if isinstance(target, ast.Name):
                    out[target.id] = string_literals(stmt.value, {})
        return out

    # -- the full walk ------------------------------------------------------------
    @cached_property
    def _facts(self) -> tuple[list[CallFact], list[FunctionFact], list[ClassFact], list]:
        calls: list[CallFact] = []
        funcs: list[FunctionFact] = []
        classes: list[ClassFact] = []
        strings: list[tuple[str, int]] = []
        Frame = tuple[ast.AST, FunctionFact | None, ClassFact | None]
        stack: list[Frame] = [(n, None, None) for n in reversed(self.tree.body)]
        while stack:
            node, fn, cls = stack.pop()
            t = type(node)
            if t is ast.Constant:
                if isinstance(node.value, str):  # type: ignore[attr-defined]
                    strings.append((node.value, node.lineno))  # type: ignore[attr-defined]
                continue
            if t is ast.FunctionDef or t is ast.AsyncFunctionDef:
                f = FunctionFact(node.name, node.lineno, node, cls)  # type: ignore[attr-defined]
                funcs.append(f)
                if cls is not None and fn is None:
                    cls.methods.append(f)
                for d in node.decorator_list:  # type: ignore[attr-defined]
                    if isinstance(d, ast.Call):
                        f.decorators.append(
                            CallFact(dotted(d.func), d.lineno, d.col_offset, d, fn, cls)
                        )
                        stack.extend((c, fn, cls) for c in ast.iter_child_nodes(d))
                    else:
                        f.decorators.append(dotted(d))
                stack.append((node.args, f, cls))  # type: ignore[attr-defined]
                stack.extend((stmt, f, cls) for stmt in reversed(node.body))  # type: ignore[attr-defined]
                continue
            if t is ast.ClassDef:
                bases = tuple(dotted(b) for b in node.bases)  # type: ignore[attr-defined]
                k = ClassFact(node.name, node.lineno, bases, node)  # type: ignore[attr-defined,arg-type]
                classes.append(k)
                for b in [*node.bases, *node.keywords, *node.decorator_list]:  # type: ignore[attr-defined]
                    stack.append((b, fn, cls))
                stack.extend((stmt, None, k) for stmt in reversed(node.body))  # type: ignore[attr-defined]
                continue
            if t is ast.Call:
                c = CallFact(dotted(node.func), node.lineno, node.col_offset, node, fn, cls)  # type: ignore[attr-defined,arg-type]
                calls.append(c)
                if fn is not None:
                    fn.calls.append(c)
            stack.extend((c, fn, cls) for c in ast.iter_child_nodes(node))
        calls.sort(key=lambda c: (c.line, c.col))
        return calls, funcs, classes, strings

    def release(self) -> None:
        """Break the fact cycles (call <-> function <-> class) and drop the tree, so that
        memory is freed by reference counting instead of a long cyclic-GC pass."""
        facts = self.__dict__.get("_facts")
        if facts:
            calls, funcs, classes, _strings = facts
            for c in calls:
                c.func = c.cls = None
            for f in funcs:
                f.calls.clear()
                f.decorators.clear()
                f.cls = None
            for k in classes:
                k.methods.clear()
        self.__dict__.clear()

    @property
    def calls(self) -> list[CallFact]:
        return self._facts[0]

    @property
    def functions(self) -> list[FunctionFact]:
        return self._facts[1]

    @property
    def classes(self) -> list[ClassFact]:
        return self._facts[2]

    @property
    def strings(self) -> list[tuple[str, int]]:
        return self._facts[3]


def string_literals(node: ast.AST, names: dict[str, list[str]]) -> list[str]:
    """The non-blank string constants under `node`, with `names` (constants) resolved."""
    found: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.strip():
            if sub.value not in ("rb", "r", "wb", "w"):  # open() modes
                found.append(sub.value)
        elif isinstance(sub, ast.Name) and sub.id in names:
            found.extend(names[sub.id])
    return found


_MAGIC = re.compile(r"^\s*[%!?]|\?\s*$")


def notebook_source(cells: list[str]) -> tuple[str, list[int], list[int]]:
    """Join code cells into one virtual module.

    Returns (text, cell number of each line, cells that did not parse). Magic and shell lines
    are blanked; a cell that does not parse is blanked too, so line numbers stay stable.
    """
    out: list[str] = []
    cell_of_line: list[int] = []
    bad: list[int] = []
    for number, src in enumerate(cells, start=1):
        lines = ["" if _MAGIC.match(line) else line for line in src.splitlines()]
        body = "\n".join(lines)
        try:
            compile(body, "<cell>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except (SyntaxError, ValueError):
            bad.append(number)
            lines = [""] * len(lines)
        out.extend(lines)
        cell_of_line.extend([number] * len(lines))
    return "\n".join(out) + "\n", cell_of_line, bad
