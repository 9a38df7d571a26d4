"""Pattern packs: a team's own patterns beside the catalog's.

A pack is a folder holding `pack.yaml` (`name`, `version`, `patterns: [ids in order]`),
`patterns/<id>/` and optionally `components/<name>/`, in the same format as mlsd's own
`templates/`. Packs are found through, in this order:
- `--pack PATH` (repeatable, before the command: `mlsd --pack ./house list`);
- `MLSD_PACKS` (paths separated by `os.pathsep`);
- `[tool.mlsd] packs = [...]` in the `pyproject.toml` of the current folder;
- the packs a project recorded in `.mlsd/answers.yaml` (for add, remove, upgrade);
an entry that is not a folder names an installed package exposing the entry point group
`mlsd.patterns` (its value: a module whose folder is the pack, or a callable returning it).
Nothing here is imported, and no entry point is read, unless a pack is configured.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd.errors import UsageError

ENTRY_POINT_GROUP = "mlsd.patterns"
PACK_FILE = "pack.yaml"
PACK_KEYS = {"name", "version", "description", "patterns"}
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")

_active: tuple[Pack, ...] = ()


@dataclass(frozen=True)
class Pack:
    name: str
    version: str
    root: Path
    patterns: tuple[str, ...]
    spec: str  # how it was named (a path or a package), recorded with a project
    # the catalog part of each pattern's manifest, as parsed (or read from the cache)
    manifests: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "source": self.spec}


class PackError(UsageError):
    """A pack that cannot be found or is not well formed."""


def load_pack(spec: str, base: Path | None = None) -> Pack:
    """The pack a `--pack` value, a setting or a recorded answer names."""
    root = _locate(spec, base)
    path = root / PACK_FILE
    from mlsd.catalog_cache import cached, pack_sources

    parsed = cached(root, _parse_pack, pack_sources, "pack")
    data = parsed["pack"]
    name, patterns = data.get("name"), data.get("patterns")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise PackError(f"{path}: `name` must be lower-case letters, digits and dashes")
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise PackError(f"{path}: `patterns` must list the pack's pattern ids in order")
    for pid in patterns:
        if not (root / "patterns" / pid / "pattern.yaml").is_file():
            raise PackError(f"{path}: pattern {pid} has no patterns/{pid}/pattern.yaml")
    recorded = str(root) if (Path(spec).expanduser() / PACK_FILE).is_file() or base else spec
    version = str(data.get("version", "0"))
    return Pack(name, version, root, tuple(patterns), recorded, parsed["manifests"])


MANIFEST_HINT = "see templates/AUTHORING.md for the keys a pattern manifest may hold"


def _parse_pack(root: Path) -> dict[str, Any]:
    """pack.yaml and the catalog part of each pattern manifest it lists, as plain data (what
    the cache stores); a file that is no valid mapping of known keys is a PackError."""
    from mlsd.catalog_model import MANIFEST_KEYS, load_manifest, load_yaml

    allowed = f"allowed keys: {', '.join(sorted(PACK_KEYS))}"
    data = read_mapping(root / PACK_FILE, load_yaml, PACK_KEYS, allowed)
    listed = data.get("patterns")
    manifests = {}
    for pid in listed if isinstance(listed, list) else ():
        manifest = root / "patterns" / str(pid) / "pattern.yaml"
        if manifest.is_file():
            manifests[str(pid)] = read_mapping(
                manifest, load_manifest, MANIFEST_KEYS, MANIFEST_HINT
            )
    return {"pack": data, "manifests": manifests}


def read_mapping(
    path: Path, load: Callable[[Path], Any], allowed: Collection[str], hint: str
) -> dict[str, Any]:
    """A pack's YAML file as a mapping whose keys are all `allowed`, or a PackError naming it."""
    try:
        data = load(path)
    except OSError as exc:
        raise PackError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except Exception as exc:  # a YAML error: its message names the line
        raise PackError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise PackError(f"{path}: must be a mapping", hint=hint)
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise PackError(f"{path}: unknown keys {', '.join(unknown)}", hint=hint)
    return data


def _locate(spec: str, base: Path | None) -> Path:
    path = Path(spec).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    if (path / PACK_FILE).is_file():
        return path.resolve()
    if "/" in spec or os.sep in spec or path.exists():
        raise PackError(
            f"pack {spec} cannot be found: {path} holds no {PACK_FILE}",
            hint="pass the folder that holds pack.yaml, e.g. --pack ./house-patterns",
        )
    return _from_entry_point(spec)


def _from_entry_point(name: str) -> Path:
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            value: Any = ep.load()
            if callable(value):
                return Path(value()).resolve()
            return Path(value.__file__).resolve().parent
    raise PackError(
        f"pack {name} cannot be found: it is no folder, and no installed package declares "
        f"it in the entry point group `{ENTRY_POINT_GROUP}`",
        hint="pass --pack PATH to the pack's folder, or install the package that ships it",
    )


def configured(explicit: Sequence[str] = (), cwd: Path | None = None) -> list[str]:
    """Pack specs from `--pack`, `MLSD_PACKS` and `[tool.mlsd] packs`, in that order."""
    specs = [*explicit]
    env = os.environ.get("MLSD_PACKS", "")
    specs += [s for s in env.split(os.pathsep) if s]
    pyproject = (cwd or Path.cwd()) / "pyproject.toml"
    if pyproject.is_file():
        specs += _from_pyproject(pyproject)
    return list(dict.fromkeys(specs))


def _from_pyproject(path: Path) -> list[str]:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []  # someone else's pyproject: not ours to judge
    packs = data.get("tool", {}).get("mlsd", {}).get("packs", [])
    if not isinstance(packs, list) or not all(isinstance(p, str) for p in packs):
        raise PackError(f"{path}: [tool.mlsd] packs must be a list of paths or package names")
    base = path.parent
    return [str(base / p) if (base / p).exists() else p for p in packs]


def activate(specs: Iterable[str], base: Path | None = None) -> tuple[Pack, ...]:
    """Load the packs and make them part of every catalog loaded from now on."""
    global _active
    loaded = {p.name: p for p in _active}
    for spec in specs:
        pack = load_pack(spec, base)
        other = loaded.get(pack.name)
        if other is not None and other.root != pack.root:
            raise PackError(f"two packs are named {pack.name}: {other.root} and {pack.root}")
        loaded[pack.name] = pack
    _active = tuple(loaded.values())
    return _active


def activate_recorded(recorded: Iterable[dict[str, str]], project: Path) -> None:
    """Load the packs a project's answers name: from where they were, else any configured
    pack of the same name; a pack that cannot be found stops the command."""
    by_name = {p.name: p for p in _active}
    missing = []
    for record in recorded:
        if record["name"] in by_name:
            continue
        try:
            activate([record["source"]], project)
        except PackError:
            missing.append(f"{record['name']} (recorded as {record['source']})")
    if missing:
        raise PackError(
            f"the project uses patterns from packs that cannot be found: {', '.join(missing)}",
            hint="pass --pack PATH (before the command) or set MLSD_PACKS to where they are now",
        )


def recorded_for(patterns: Iterable[str]) -> tuple[dict[str, str], ...]:
    """What `.mlsd/answers.yaml` records: the active packs that provide any of `patterns`."""
    chosen = set(patterns)
    return tuple(p.to_dict() for p in _active if chosen & set(p.patterns))


def active() -> tuple[Pack, ...]:
    return _active


def reset() -> None:
    """Forget the active packs (tests, and a library caller switching projects)."""
    global _active
    _active = ()
