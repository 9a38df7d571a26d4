"""The add-ons on the prediction path and their order, read from the templates themselves.

Two extension points decide how patterns combine on `POST /predict`: the gateway's call
wrappers (`gateway/wrappers/<name>.py`, around the call to the model server; smaller `ORDER`
is outer) and the front service's prediction hooks (`hooks/<name>.py`, `before_predict` and
`after_predict`, run by `ORDER`). Each module states its `ORDER` in code, so this table is
built from the template files and cannot drift from them: `python -m mlsd.interactions`
prints it, and a test keeps the copy in the README fresh.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from mlsd import paths
from mlsd.catalog import Catalog, load_catalog

_DEFAULT_ORDER = {"wrappers": 100, "hooks": 50}  # what the loaders use without `ORDER`


@dataclass(frozen=True)
class AddOn:
    pattern: str
    module: str
    point: str  # "wrappers" | "hooks"
    order: int
    stages: tuple[str, ...]  # for hooks: "before", "after"
    why: str  # the note under `ORDER`, or the module docstring's first line

    @property
    def where(self) -> str:
        if self.point == "wrappers":
            return "gateway call wrapper (around the model server call)"
        return "prediction hook, " + " and ".join(f"{s} the model" for s in self.stages)


def _module_facts(text: str) -> tuple[int | None, str, tuple[str, ...]]:
    """ORDER, the note after it (or the docstring's first line), hook functions defined."""
    tree = ast.parse(text)
    order, note = None, ""
    body = tree.body
    for i, node in enumerate(body):
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["ORDER"]
            and isinstance(node.value, ast.Constant)
        ):
            order = int(node.value.value)
            after = body[i + 1] if i + 1 < len(body) else None
            if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                note = str(after.value.value).strip()
    if not note:  # the docstring paragraph that explains the ORDER, else its first one
        paragraphs = [p.replace("\n", " ") for p in (ast.get_docstring(tree) or "").split("\n\n")]
        note = next((p for p in paragraphs if "ORDER" in p), paragraphs[0])
        note = re.split(r"(?<=\.)\s+(?=[A-Z`])", note)[0]  # its first sentence
    note = " ".join(note.split())
    stages = tuple(
        stage
        for stage in ("before", "after")
        if any(isinstance(n, ast.FunctionDef) and n.name == f"{stage}_predict" for n in body)
    )
    return order, note, stages


def _source(path: Path) -> str:
    """A template as Python: Jinja expressions stand in as a name (enough for `ast`)."""
    text = path.read_text(encoding="utf-8")
    return text.replace("{{ package }}", "package")


_PLUGINS = re.compile(r"^\s+(hooks|gateway\.wrappers):\s*\{([^}]*)\}", re.M)


def _manifest_orders(manifest: Path) -> dict[tuple[str, str], int]:
    """Orders declared as data: `contributes: plugins: {hooks|gateway.wrappers: {name: N}}`."""
    if not manifest.is_file():
        return {}
    orders = {}
    for point, pairs in _PLUGINS.findall(manifest.read_text(encoding="utf-8")):
        key = "hooks" if point == "hooks" else "wrappers"
        for pair in pairs.split(","):
            name, _, value = pair.partition(":")
            if value.strip().isdigit():
                orders[(key, name.strip())] = int(value)
    return orders


def find_add_ons(catalog: Catalog | None = None, root: Path | None = None) -> list[AddOn]:
    """Every call wrapper and hook module of the available patterns, in run order."""
    catalog = catalog or load_catalog()
    root = root or paths.TEMPLATES_DIR
    found = []
    for entry in catalog.patterns:
        if not entry.available:
            continue
        files = root / "patterns" / entry.id / "files"
        declared = _manifest_orders(root / "patterns" / entry.id / "pattern.yaml")
        for point in ("wrappers", "hooks"):
            for path in sorted(files.rglob(f"{point}/*.py*")):
                name = path.name.split(".")[0]
                if name.startswith("_"):
                    continue
                order, note, stages = _module_facts(_source(path))
                order = declared.get((point, name), order)
                order = _DEFAULT_ORDER[point] if order is None else order
                found.append(AddOn(entry.id, name, point, order, stages, note))
    return sorted(found, key=lambda a: (a.point != "wrappers", a.order, a.module))


def interactions_markdown(catalog: Catalog | None = None) -> str:
    rows = [
        "| order | add-on (pattern) | where | why this place |",
        "|---|---|---|---|",
    ]
    for a in find_add_ons(catalog):
        why = a.why.replace("|", "\\|")
        rows.append(f"| {a.order} | `{a.module}` ({a.pattern}) | {a.where} | {why} |")
    return "\n".join(rows) + "\n"


def topology_markdown(catalog: Catalog | None = None) -> str:
    """Which gateway add-on works on which gateway topology, from the manifests' `conflicts`
    (a refused pair names its reason, as the resolver does)."""
    catalog = catalog or load_catalog()
    topologies = [
        p
        for p in catalog.axis_members("online-topology")
        if catalog.entries[p].gateway and catalog.entries[p].available
    ]
    add_ons = [e.id for e in catalog.patterns if e.requires_gateway and e.available]
    rows = [
        "| add-on | " + " | ".join(f"`{t}`" for t in topologies) + " |",
        "|---|" + "---|" * len(topologies),
    ]
    for add_on in add_ons:
        refused = dict(catalog.clashes(add_on))
        cells = [
            f"refused: {refused[t] or 'see mlsd show'}".replace("|", "\\|")
            if t in refused
            else "works"
            for t in topologies
        ]
        rows.append(f"| `{add_on}` | " + " | ".join(cells) + " |")
    pairs = [
        f"- `{a}` + `{b}`: refused, {why or 'see mlsd show'}"
        for a in add_ons
        for b, why in catalog.clashes(a)
        if b in add_ons and catalog.rank(a) < catalog.rank(b)
    ]
    if pairs:
        rows += ["", "Add-ons that refuse each other:", "", *pairs]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(interactions_markdown(), end="")
    print()
    print(topology_markdown(), end="")
