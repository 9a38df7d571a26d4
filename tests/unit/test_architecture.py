"""The shape of the mlsd package: no import cycles, no oversized modules.

Every import counts, wherever it is written: module level, inside a function (the lazy
imports that keep `mlsd list` fast) and under `if TYPE_CHECKING:`. A cycle hidden in a
function or a type-checking block is still a cycle in the design.

`mlsd/check/` is covered too (tests/check/test_layers.py adds its own layer rules).
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

import mlsd

PACKAGE_DIR = Path(mlsd.__file__).parent
EXCLUDED: tuple[str, ...] = ()  # modules a later change may exempt while it untangles them
MAX_LINES = 450


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def excluded(name: str) -> bool:
    return any(name == e or name.startswith(e + ".") for e in EXCLUDED)


def modules(root: Path) -> dict[str, Path]:
    found = {module_name(root, p): p for p in sorted(root.rglob("*.py"))}
    return {name: path for name, path in found.items() if not excluded(name)}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's own modules that ``name`` imports, anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            targets.add(source)
            # `from pkg import mod` imports the submodule pkg.mod when there is one
            targets.update(f"{source}.{alias.name}" for alias in node.names)
    # an import of a.b.c is an edge to the deepest module of the package it names
    edges = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            edges.add(target)
    return edges


def import_graph(root: Path) -> dict[str, set[str]]:
    mods = modules(root)
    known = set(mods)
    return {name: imported(name, path, known) for name, path in mods.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return None


def test_no_import_cycle_in_mlsd() -> None:
    found = cycle(import_graph(PACKAGE_DIR))
    assert found is None, "import cycle: " + " -> ".join(found or [])


def test_the_walk_sees_lazy_and_type_checking_imports() -> None:
    graph = import_graph(PACKAGE_DIR)
    assert "mlsd.views.new" in graph["mlsd.cli"]  # imported inside a command function
    assert "mlsd.evolve" in graph["mlsd.views.evolve"]  # only under TYPE_CHECKING
    assert "mlsd.merge.plan" in graph["mlsd.merge.apply"]
    assert not any(excluded(name) for name in graph)


def test_a_cycle_hidden_in_a_function_or_type_checking_block_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from pkg import b\n")
    (pkg / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import X\n"
    )
    (pkg / "c.py").write_text("import pkg.a\nX = 1\n")
    found = cycle(import_graph(pkg))
    assert found is not None and set(found) == {"pkg.a", "pkg.b", "pkg.c"}


@pytest.mark.parametrize("name", sorted(modules(PACKAGE_DIR)))
def test_module_is_small(name: str) -> None:
    path = modules(PACKAGE_DIR)[name]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path} has {lines} lines (at most {MAX_LINES}): split it"
