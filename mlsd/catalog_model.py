"""The catalog's data: entries, axes, presets, and how a manifest becomes an entry.

The loading (mlsd's templates, the cache, pattern packs) is in `mlsd.catalog`.

Everything is read into frozen dataclasses; the manifests are the single source for the
resolver, `list`/`show`, prompts, the test matrix and the docs.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd.errors import UnknownEntryError


def parse_yaml(text: str) -> Any:
    """YAML with the C loader where PyYAML has one (several times faster). PyYAML is
    imported here, not at module level: a cached catalog needs no YAML at all."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def parse_yaml_all(text: str | bytes) -> list[Any]:
    """Every document of a YAML stream, with the C loader where PyYAML has one."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return list(yaml.load_all(text, Loader=loader))


def load_yaml(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8"))


def load_manifest(path: Path) -> dict[str, Any]:
    """A manifest's catalog part: everything above its last top-level key `contributes:`.

    `contributes:` may use Jinja (the renderer reads it); the catalog never needs it, so
    `mlsd list` parses plain YAML and never imports Jinja.
    """
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.partition("\ncontributes:")
    return parse_yaml(head) or {}


@dataclass(frozen=True)
class Entry:
    """A pattern or an antipattern."""

    id: str
    kind: str  # "pattern" | "antipattern"
    category: str
    title: str
    summary: str
    when: str
    status: str  # "available" | "planned"
    adds: tuple[str, ...] = ()
    axis: str | None = None
    requires: tuple[str, ...] = ()
    requires_axes: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    # Why each conflict (a manifest may write `conflicts:` as a mapping id -> reason).
    conflict_reasons: tuple[tuple[str, str], ...] = ()
    implies: tuple[str, ...] = ()
    fixed_by: tuple[str, ...] = ()
    serves_model: bool = False
    needs_serving: bool = False
    gateway: bool = False
    requires_gateway: bool = False
    min_model_services: int = 0
    components: tuple[str, ...] = ()
    # it can stand in front of or beside a service mlsd did not write (`mlsd adopt`)
    adoptable: bool = False
    folder: Path | None = None
    source: str = "mlsd"  # "mlsd" or the name of the pack that provides it

    @property
    def available(self) -> bool:
        return self.status == "available"

    def conflict_reason(self, other: str) -> str | None:
        """Why this pattern refuses `other` (None when it does not, or gives no reason)."""
        return dict(self.conflict_reasons).get(other)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "category": self.category,
            "title": self.title,
            "summary": self.summary,
            "when": self.when,
            "status": self.status,
            "axis": self.axis,
            "adds": list(self.adds),
            "requires": list(self.requires),
            "requires_axes": list(self.requires_axes),
            "requires_gateway": self.requires_gateway,
            "conflicts": list(self.conflicts),
            "conflict_reasons": dict(self.conflict_reasons),
            "implies": list(self.implies),
            "fixed_by": list(self.fixed_by),
            "adoptable": self.adoptable,
            "source": self.source,
        }


# The keys a pattern manifest may hold above `contributes:` (a typo is an error, not ignored).
MANIFEST_KEYS = frozenset(
    {
        "id", "kind", "category", "title", "summary", "when", "status", "adds", "axis",
        "requires", "requires_axes", "conflicts", "implies", "fixed_by", "serves_model",
        "needs_serving", "gateway", "requires_gateway", "min_model_services", "components",
        "adoptable",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Axis:
    id: str
    title: str
    max: int
    default: str | None = None
    gateway_default: str | None = None


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    summary: str
    patterns: tuple[str, ...]
    status: str = "available"  # "planned" while any pattern it brings is planned

    @property
    def available(self) -> bool:
        return self.status == "available"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": "preset",
            "title": self.title,
            "summary": self.summary,
            "status": self.status,
            "patterns": list(self.patterns),
        }


@dataclass(frozen=True)
class Catalog:
    entries: dict[str, Entry]
    order: tuple[str, ...]  # patterns then antipatterns, in registry order
    axes: dict[str, Axis]
    presets: dict[str, Preset]
    categories: dict[str, str]
    source: str
    _by_axis: dict[str, tuple[str, ...]] = field(default_factory=dict)
    component_dirs: dict[str, Path] = field(default_factory=dict)

    @property
    def patterns(self) -> list[Entry]:
        return [self.entries[i] for i in self.order if self.entries[i].kind == "pattern"]

    @property
    def antipatterns(self) -> list[Entry]:
        return [self.entries[i] for i in self.order if self.entries[i].kind == "antipattern"]

    def axis_members(self, axis: str) -> tuple[str, ...]:
        return self._by_axis.get(axis, ())

    def clashes(self, entry_id: str) -> list[tuple[str, str | None]]:
        """The patterns `entry_id` cannot be combined with, either side declaring it, with the
        reason when one is given (axis members are not listed: they clash by axis)."""
        found: dict[str, str | None] = {}
        own = self.entries[entry_id]
        for other in own.conflicts:
            found[other] = own.conflict_reason(other)
        for entry in self.entries.values():
            if entry_id in entry.conflicts:
                found[entry.id] = found.get(entry.id) or entry.conflict_reason(entry_id)
        return [(other, found[other]) for other in sorted(found, key=self.rank)]

    def label(self, entry_id: str) -> str:
        """An id as advice may name it: planned patterns say so, so nobody tries them."""
        entry = self.entries.get(entry_id)
        return f"{entry_id} (planned)" if entry is not None and not entry.available else entry_id

    def add_advice(self, pattern_id: str) -> str:
        """`mlsd add ID` for an available pattern; a planned one is named as planned."""
        entry = self.entries.get(pattern_id)
        return f"mlsd add {pattern_id}" if entry and entry.available else self.label(pattern_id)

    def rank(self, entry_id: str) -> int:
        return self.order.index(entry_id)

    def get(self, entry_id: str) -> Entry:
        try:
            return self.entries[entry_id]
        except KeyError:
            raise unknown(entry_id, list(self.entries) + list(self.presets)) from None

    def get_preset(self, preset_id: str) -> Preset:
        try:
            return self.presets[preset_id]
        except KeyError:
            raise unknown(preset_id, list(self.presets), what="preset") from None


def unknown(name: str, choices: list[str], what: str = "pattern") -> UnknownEntryError:
    close = difflib.get_close_matches(name, choices, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "run `mlsd list` to see every id"
    return UnknownEntryError(f"unknown {what} '{name}'", hint=hint)


def _tuple(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(data.get(key) or ())


def _reasons(data: dict[str, Any], key: str) -> tuple[tuple[str, str], ...]:
    """The reasons of a list-or-mapping key written as a mapping (`{id: why}`)."""
    value = data.get(key) or {}
    if not isinstance(value, dict):
        return ()
    return tuple((str(other), " ".join(str(why).split())) for other, why in value.items())


def make_entry(data: dict[str, Any], folder: Path | None, source: str = "mlsd") -> Entry:
    return Entry(
        id=data["id"],
        kind=data.get("kind", "pattern"),
        category=data["category"],
        title=data["title"],
        summary=data["summary"],
        when=data.get("when", ""),
        status=data.get("status", "planned"),
        adds=_tuple(data, "adds"),
        axis=data.get("axis"),
        requires=_tuple(data, "requires"),
        requires_axes=_tuple(data, "requires_axes"),
        conflicts=_tuple(data, "conflicts"),
        conflict_reasons=_reasons(data, "conflicts"),
        implies=_tuple(data, "implies"),
        fixed_by=_tuple(data, "fixed_by"),
        serves_model=bool(data.get("serves_model", False)),
        needs_serving=bool(data.get("needs_serving", False)),
        gateway=bool(data.get("gateway", False)),
        requires_gateway=bool(data.get("requires_gateway", False)),
        min_model_services=int(data.get("min_model_services", 0)),
        components=_tuple(data, "components"),
        adoptable=bool(data.get("adoptable", False)),
        folder=folder,
        source=source,
    )


def all_available(entries: dict[str, Entry], ids: list[str]) -> bool:
    """Whether every pattern `ids` bring (through implies and requires) is available."""
    seen: set[str] = set()
    queue = list(ids)
    while queue:
        pid = queue.pop()
        if pid in seen:
            continue
        seen.add(pid)
        entry = entries[pid]
        if not entry.available:
            return False
        queue.extend([*entry.implies, *entry.requires])
    return True


def folders(parent: Path) -> dict[str, Path]:
    if not parent.is_dir():
        return {}
    return {c.name: c for c in sorted(parent.iterdir()) if c.is_dir()}
