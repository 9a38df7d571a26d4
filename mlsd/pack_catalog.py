"""Pattern packs joined to the catalog, and checked as they join: a pack pattern is used
exactly like a built-in one, so everything that could break a render is refused here, with
the file that says it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mlsd.catalog_model import MANIFEST_KEYS, Catalog, Entry, folders, load_manifest, make_entry
from mlsd.packs import MANIFEST_HINT, Pack, PackError, read_mapping
from mlsd.render_paths import emitted_paths


def merge_packs(base: Catalog, root: Path, packs: tuple[Pack, ...]) -> Catalog:
    entries = dict(base.entries)
    components = dict(base.component_dirs)
    added: list[str] = []
    owners = _built_in_owners(base, root)
    for pack in packs:
        for name, folder in folders(pack.root / "components").items():
            if name in components:
                raise PackError(
                    f"{folder}: component {name} exists already ({components[name]})",
                    hint="give the pack's component another name",
                )
            components[name] = folder
        for pid in pack.patterns:
            folder = pack.root / "patterns" / pid
            entry = _pack_entry(pack, folder, base, entries)
            _claim_paths(folder, f"{pack.name}:{pid}", owners)
            entries[pid] = entry
            added.append(pid)
    for pid in added:
        _check_references(entries[pid], entries, components)
    patterns = [i for i in base.order if base.entries[i].kind == "pattern"]
    antipatterns = [i for i in base.order if base.entries[i].kind != "pattern"]
    by_axis = {k: list(v) for k, v in base._by_axis.items()}
    for pid in added:
        if entries[pid].axis:
            by_axis.setdefault(entries[pid].axis or "", []).append(pid)
    return dataclasses.replace(
        base,
        entries=entries,
        order=(*patterns, *added, *antipatterns),
        _by_axis={k: tuple(v) for k, v in by_axis.items()},
        component_dirs=components,
    )


def _pack_entry(pack: Pack, folder: Path, base: Catalog, entries: dict[str, Entry]) -> Entry:
    manifest = folder / "pattern.yaml"
    data = pack.manifests.get(folder.name)
    if data is None:  # a Pack made by hand (tests, library callers): read it now
        data = read_mapping(manifest, load_manifest, MANIFEST_KEYS, MANIFEST_HINT)
    for key in ("id", "category", "title", "summary"):
        if not isinstance(data.get(key), str):
            raise PackError(f"{manifest}: `{key}` is required text")
    pid = data["id"]
    if pid != folder.name:
        raise PackError(f"{manifest}: id {pid} differs from its folder {folder.name}")
    if pid in entries or pid in base.presets:
        owner = entries[pid].source if pid in entries else "mlsd (a preset)"
        raise PackError(
            f"{manifest}: id {pid} is taken by {owner}", hint="give the pattern its own id"
        )
    if data["category"] not in base.categories:
        raise PackError(
            f"{manifest}: unknown category {data['category']}",
            hint=f"choose one of {', '.join(base.categories)}",
        )
    if data.get("axis") and data["axis"] not in base.axes:
        raise PackError(f"{manifest}: unknown axis {data['axis']}")
    try:
        return make_entry(data, folder, source=pack.name)
    except (TypeError, ValueError) as exc:
        raise PackError(f"{manifest}: {exc}") from None


def _check_references(entry: Entry, entries: dict[str, Entry], components: dict) -> None:
    manifest = (entry.folder or Path()) / "pattern.yaml"
    for key in ("requires", "implies", "conflicts"):
        for other in getattr(entry, key):
            if other not in entries:
                raise PackError(f"{manifest}: {key} names unknown pattern {other}")
    for comp in entry.components:
        if comp not in components:
            raise PackError(f"{manifest}: unknown component {comp}")


def _built_in_owners(base: Catalog, root: Path) -> dict[str, str]:
    """Every path a built-in source can emit, with its owner (a path segment such as
    `__package__` stays a token: it becomes the same name in every project)."""
    owners: dict[str, str] = {}
    sources = [("base", root / "base")]
    sources += [(f"component:{n}", f) for n, f in base.component_dirs.items()]
    sources += [(e.id, e.folder) for e in base.entries.values() if e.folder is not None]
    for owner, folder in sources:
        for rel in emitted_paths(folder):
            owners.setdefault(rel, owner)
    return owners


def _claim_paths(folder: Path, owner: str, owners: dict[str, str]) -> None:
    for rel in emitted_paths(folder):
        if rel in owners:
            raise PackError(
                f"{folder / 'files' / rel}: the path {rel} belongs to {owners[rel]} already",
                hint="a pattern owns its paths; extend shared files through `contributes:`",
            )
        owners[rel] = owner
