"""The layers of `mlsd check`: no import cycle, rules import no other rule, small modules.

Every import counts, including imports inside functions and under `if TYPE_CHECKING:`:
a cycle hidden there is still a cycle in the design.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import mlsd.check

PACKAGE = "mlsd.check"
ROOT = Path(mlsd.check.__file__).parent
MAX_LINES = 450


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _imported(name: str, path: Path) -> set[str]:
    """Modules of the package that `name` (at `path`) imports, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import mod` imports the module pkg.mod when there is one
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in targets:
            # importing a.b.c runs a/__init__, a/b/__init__ and a/b/c
            parts = target.split(".")
            for k in range(1, len(parts) + 1):
                candidate = ".".join(parts[:k])
                if candidate in MODULES and candidate != name:
                    out.add(candidate)
    return out


GRAPH = {name: _imported(name, path) for name, path in MODULES.items()}


def test_the_graph_sees_the_package() -> None:
    assert "mlsd.check.context" in GRAPH["mlsd.check.base"]
    assert "mlsd.check.findings" in GRAPH["mlsd.check.walk"]
    assert len(MODULES) > 60


def test_no_import_cycle() -> None:
    try:
        list(TopologicalSorter(GRAPH).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle in {PACKAGE}: {' -> '.join(exc.args[1])}") from None


def test_a_cycle_is_detected() -> None:
    """The check above can fail: a function-level import back makes a cycle."""
    graph = {k: set(v) for k, v in GRAPH.items()}
    graph["mlsd.check.findings"].add("mlsd.check.context")
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError:
        return
    raise AssertionError("a cycle went unnoticed")


def test_findings_is_a_leaf() -> None:
    assert GRAPH["mlsd.check.findings"] <= {"mlsd.check", "mlsd.check.codes"}


def test_a_rule_module_is_the_rule_alone() -> None:
    """Rules share facts through fact modules (`models`, `heavy`, `facts`, `vocab`...),
    never by importing another rule."""
    rules = f"{PACKAGE}.rules."
    bad = {
        name: sorted(t for t in targets if t.startswith(rules) and t.count(".") > 3)
        for name, targets in GRAPH.items()
        if name.startswith(rules)
    }
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_context_does_not_know_the_components() -> None:
    assert "mlsd.check.components" not in GRAPH["mlsd.check.context"]
    assert not any(t.startswith(f"{PACKAGE}.rules") for t in GRAPH["mlsd.check.context"])


def test_modules_are_small() -> None:
    sizes = {name: len(p.read_text(encoding="utf-8").splitlines()) for name, p in MODULES.items()}
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}
