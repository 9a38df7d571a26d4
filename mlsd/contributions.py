"""Assemble what each pattern contributes to the shared files, as data.

Each source (base, components, patterns; in catalog order) may declare `contributes:` in
its manifest. Mappings merge recursively, lists union in order, and two sources that set
the same scalar to different values are a bug in the templates, reported by name. The
result is sorted by key, so assembling again always yields the same bytes downstream.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlsd.errors import InternalError


def merge_contributions(sources: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    owners: dict[tuple[str, ...], str] = {}
    for name, data in sources:
        _merge_into(merged, data or {}, (), name, owners)
    return _sorted(merged)


def _merge_into(
    target: dict[str, Any],
    data: dict[str, Any],
    key_path: tuple[str, ...],
    source: str,
    owners: dict[tuple[str, ...], str],
) -> None:
    for key, value in data.items():
        here = (*key_path, str(key))
        if key not in target:
            target[key] = _copy(value)
            owners[here] = source
        elif isinstance(target[key], dict) and isinstance(value, dict):
            _merge_into(target[key], value, here, source, owners)
        elif isinstance(target[key], list) and isinstance(value, list):
            target[key].extend(v for v in value if v not in target[key])
        elif target[key] != value:
            raise InternalError(
                f"templates disagree on {'.'.join(here)}: {owners.get(here)} and {source} "
                "set different values",
                hint="make one of them own this key, or contribute to a list instead",
            )


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value
