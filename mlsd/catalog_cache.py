"""The catalog's manifests parsed once, kept as JSON in the user's cache folder.

`mlsd list` and `mlsd show` need only the catalog part of ~40 YAML files; importing and
running the YAML parser is most of their start-up. The parsed data is stored under a key
made from the bytes of those files (and mlsd's version), so an edited manifest, a new mlsd
or a pattern pack with other files never reads a stale entry. A pattern pack's YAML files
(pack.yaml and its manifests) are cached the same way, one entry per pack. A cache that
cannot be read or written is skipped silently: it only ever saves time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

FORMAT = "1"


def cache_dir() -> Path:
    configured = os.environ.get("MLSD_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mlsd"


def _sources(root: Path) -> list[Path]:
    """Every file the catalog is read from, in a stable order."""
    found = [root / "catalog.yaml"]
    for folder, name in (("patterns", "pattern.yaml"), ("antipatterns", None)):
        with os.scandir(root / folder) as entries:
            names = sorted(e.name for e in entries)
        found += [root / folder / n / name if name else root / folder / n for n in names]
    return found


def pack_sources(root: Path) -> list[Path]:
    """Every YAML file a pattern pack is read from: pack.yaml and its pattern manifests."""
    found = [root / "pack.yaml"]
    with suppress(OSError), os.scandir(root / "patterns") as entries:
        found += [root / "patterns" / n / "pattern.yaml" for n in sorted(e.name for e in entries)]
    return found


def _key(root: Path, sources: Callable[[Path], list[Path]] = _sources) -> str:
    from hashlib import blake2b

    from mlsd import __version__

    digest = blake2b(f"{FORMAT}\0{__version__}\0".encode(), digest_size=16)
    for path in sources(root):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(
    root: Path,
    parse: Callable[[Path], dict[str, Any]],
    sources: Callable[[Path], list[Path]] = _sources,
    kind: str = "catalog",
) -> dict[str, Any]:
    """`parse(root)`, or the stored result of an earlier call on the same files (those
    `sources(root)` names: the catalog's, or a pack's with `pack_sources`)."""
    if os.environ.get("MLSD_NO_CACHE"):
        return parse(root)
    try:
        path = cache_dir() / f"{kind}-{_key(root, sources)}.json"
    except OSError:
        return parse(root)
    with suppress(OSError, ValueError):
        return json.loads(path.read_text(encoding="utf-8"))
    data = parse(root)
    with suppress(OSError, TypeError, ValueError):  # read-only home: just slower next time
        _store(path, data)
    return data


def _store(path: Path, data: dict[str, Any]) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
