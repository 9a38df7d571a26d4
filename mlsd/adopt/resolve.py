"""Which patterns fit an adopted repository: a closed set with reasons, or a refusal.

A pattern fits when its manifest says `adoptable: true` (it has an `adopted/` folder that works
in front of or beside a service mlsd did not write); the others need a service mlsd made and
are refused with why. The closure is the catalog's (`requires`, `implies`), plus the
`requires:` of a pattern's `adopted/adopted.yaml`, plus the gateway topology for an add-on
that lives in the gateway. Pure: reads manifests, writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mlsd.adopt.options import Adopted
from mlsd.catalog import Catalog, Entry, load_manifest
from mlsd.errors import ResolutionError, UsageError
from mlsd.resolver import REQUESTED, Resolution, _check_axes, _check_conflicts

MANIFEST = "adopted.yaml"


def adopted_folder(entry: Entry) -> Path:
    assert entry.folder is not None, "patterns have a folder"
    return entry.folder / "adopted"


def why_not(catalog: Catalog, entry: Entry) -> str | None:
    """Why ``entry`` cannot be added to an adopted repository, or None when it can."""
    if entry.adoptable:
        return None
    if entry.axis == "online-topology":
        return (
            "it is an online topology that mlsd writes; here the existing service is the "
            "topology (the gateway in front of it comes with the add-ons)"
        )
    if entry.axis == "model-delivery":
        return "it delivers the model into a model server that mlsd writes"
    if entry.serves_model:
        return "it runs the model in services or workers that mlsd writes"
    if entry.axis == "training" or entry.category == "training":
        return "it trains the model for a service that mlsd writes"
    return "it works inside the services that mlsd writes, not in front of or beside them"


def adoptable(catalog: Catalog) -> list[str]:
    """The available patterns an adopted repository can take, in catalog order."""
    return [e.id for e in catalog.patterns if e.available and e.adoptable]


def _adopted_requires(entry: Entry) -> tuple[str, ...]:
    path = adopted_folder(entry) / MANIFEST
    if not path.is_file():
        return ()
    return tuple(load_manifest(path).get("requires") or ())


def resolve_adopted(catalog: Catalog, requested: Sequence[str], adopted: Adopted) -> Resolution:
    """The closed set for an adopted repository; ResolutionError naming what cannot fit."""
    if not requested:
        return Resolution(patterns=(), reasons={})
    for pid in requested:
        entry = catalog.get(pid)
        if entry.kind != "pattern":
            raise UsageError(f"'{pid}' is an antipattern, not something to build")
    reasons = dict.fromkeys(requested, REQUESTED)
    queue = list(reasons)
    while queue:
        entry = catalog.get(queue.pop(0))
        needs = [(o, "required by") for o in (*entry.implies, *entry.requires)]
        needs += [(o, "needed in an adopted repository by") for o in _adopted_requires(entry)]
        if entry.requires_gateway:
            gateway = catalog.axes["online-topology"].gateway_default or "synchronous"
            needs.append((gateway, "the gateway in front of the upstream, needed by"))
        for other, why in needs:
            if other not in reasons:
                reasons[other] = f"{why} {entry.id}"
                queue.append(other)
    refused = [(p, why_not(catalog, catalog.get(p))) for p in reasons]
    refused = [(p, why) for p, why in refused if why]
    if refused:
        pid, why = refused[0]
        raise ResolutionError(
            f"{pid} cannot be added to an adopted repository: {why}",
            hint=f"patterns that can stand in front of or beside your service: "
            f"{', '.join(adoptable(catalog))}",
            details=[f"{p}: {reasons[p]}" for p, _ in refused],
        )
    if adopted.upstream is None:
        raise ResolutionError(
            f"{', '.join(requested)} need an upstream service to stand in front of or beside, "
            "and this repository was adopted without one",
            hint="record it: `mlsd adopt --upstream URL` (it may be run again to set the "
            "upstream of a repository adopted without one)",
        )
    # the catalog's own rules on the closed set (no axis questions: the upstream owns them)
    _check_axes(catalog, reasons)
    _check_conflicts(catalog, reasons)
    planned = [p for p in reasons if not catalog.get(p).available]
    if planned:
        raise ResolutionError(f"not available yet: {', '.join(planned)}")
    ordered = tuple(sorted(reasons, key=catalog.rank))
    return Resolution(patterns=ordered, reasons={p: reasons[p] for p in ordered})
