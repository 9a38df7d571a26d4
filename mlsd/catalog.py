"""The catalog: templates/catalog.yaml plus one manifest per pattern and antipattern.

Everything is read into frozen dataclasses (`mlsd.catalog_model`); the manifests are the single
source for the resolver, `list`/`show`, prompts, the test matrix and the docs. Pattern packs
join here (`mlsd.packs`, `mlsd.pack_catalog`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from mlsd import paths
from mlsd.catalog_model import (
    MANIFEST_KEYS,
    Axis,
    Catalog,
    Entry,
    Preset,
    all_available,
    folders,
    load_manifest,
    load_yaml,
    make_entry,
    parse_yaml,
    unknown,
)

__all__ = [
    "MANIFEST_KEYS",
    "Axis",
    "Catalog",
    "Entry",
    "Preset",
    "load_catalog",
    "load_manifest",
    "load_yaml",
    "parse_yaml",
    "unknown",
]


def load_catalog(templates_dir: Path | None = None) -> Catalog:
    """mlsd's catalog plus the active pattern packs (see `mlsd.packs`)."""
    from mlsd import packs

    root = templates_dir or paths.TEMPLATES_DIR
    active = packs.active()
    return _with_packs(root, active) if active else _load(root)


def _parse(root: Path) -> dict[str, Any]:
    """The catalog part of every manifest, as plain data (what the cache stores)."""
    meta = load_yaml(root / "catalog.yaml")
    return {
        "meta": meta,
        "patterns": {
            p: load_manifest(root / "patterns" / p / "pattern.yaml") for p in meta["patterns"]
        },
        "antipatterns": {
            a: load_yaml(root / "antipatterns" / f"{a}.yaml") for a in meta["antipatterns"]
        },
    }


@cache
def _load(root: Path) -> Catalog:
    from mlsd.catalog_cache import cached

    raw = cached(root, _parse)
    meta = raw["meta"]
    entries: dict[str, Entry] = {}
    for pid in meta["patterns"]:
        entries[pid] = make_entry(raw["patterns"][pid], root / "patterns" / pid)
    for aid in meta["antipatterns"]:
        entries[aid] = make_entry(raw["antipatterns"][aid], None)
    axes = {
        aid: Axis(aid, a["title"], int(a.get("max", 1)), a.get("default"), a.get("gateway_default"))
        for aid, a in meta["axes"].items()
    }
    by_axis: dict[str, list[str]] = {}
    for e in entries.values():
        if e.axis:
            by_axis.setdefault(e.axis, []).append(e.id)
    presets = {
        pid: Preset(
            pid,
            p["title"],
            p["summary"],
            tuple(p["patterns"]),
            "available" if all_available(entries, p["patterns"]) else "planned",
        )
        for pid, p in meta.get("presets", {}).items()
    }
    return Catalog(
        entries=entries,
        order=tuple(meta["patterns"]) + tuple(meta["antipatterns"]),
        axes=axes,
        presets=presets,
        categories=dict(meta["categories"]),
        source=meta.get("source", ""),
        _by_axis={k: tuple(v) for k, v in by_axis.items()},
        component_dirs=folders(root / "components"),
    )


@cache
def _with_packs(root: Path, packs: tuple[Any, ...]) -> Catalog:
    """The catalog with each pack's patterns after mlsd's own, validated as they are added."""
    from mlsd.pack_catalog import merge_packs

    return merge_packs(_load(root), root, packs)
