"""Static packaging guards: every import of `mlsd/` is a declared dependency (the dev extra
must not hide a missing one), and the package data covers every template file."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Import names whose distribution name differs.
DISTRIBUTION = {"yaml": "pyyaml"}


def _declared() -> set[str]:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    return {re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0].strip().lower() for d in deps}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_every_runtime_import_is_a_declared_dependency() -> None:
    declared = _declared()
    missing = {}
    for path in (REPO / "mlsd").rglob("*.py"):
        for top in _imports(path):
            if top in sys.stdlib_module_names or top in ("mlsd", "__future__"):
                continue
            if DISTRIBUTION.get(top, top).replace("_", "-") not in declared:
                missing.setdefault(top, str(path.relative_to(REPO)))
    assert not missing, f"imported but not in [project].dependencies: {missing}"


def test_templates_are_read_from_the_package_location() -> None:
    from mlsd import paths

    assert (paths.TEMPLATES_DIR / "catalog.yaml").is_file()
    assert paths.TEMPLATES_DIR.name == "templates"


def test_every_package_generated_projects_pin_is_in_the_dev_extra() -> None:
    """mlsd's suite runs every generated project's tests in its own environment (no install
    per project), so each package a template pins must come with `pip install -e .[dev]`."""
    import yaml

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    available = {
        re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0].strip().lower()
        for d in [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    }
    pinned = yaml.safe_load((REPO / "templates/versions.yaml").read_text())["packages"]
    build_only = {"setuptools"}  # the generated projects' build backend, not imported
    missing = sorted(
        name for name in pinned if name.split("[")[0].lower() not in available | build_only
    )
    assert missing == [], f"add to the dev extra in pyproject.toml: {missing}"


def test_pins_with_an_environment_marker_carry_it_into_generated_projects() -> None:
    """uvloop has no Windows build: a generated project's extras install there without it."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    from mlsd.catalog import load_catalog
    from mlsd.render import Project, render_tree
    from mlsd.resolver import resolve

    catalog = load_catalog()
    tree = render_tree(catalog, resolve(catalog, ["web-single"], use_defaults=True), Project("p"))
    project = tomllib.loads(tree["pyproject.toml"].decode())["project"]
    serving = {r.name: r for r in map(Requirement, project["optional-dependencies"]["serving"])}
    marker = serving["uvloop"].marker
    assert marker is not None
    assert not marker.evaluate({**default_environment(), "sys_platform": "win32"})
    assert marker.evaluate({**default_environment(), "sys_platform": "linux"})
    assert serving["uvicorn"].marker is None
