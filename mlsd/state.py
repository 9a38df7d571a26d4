"""The project's recorded answers and its exact merge base.

`.mlsd/answers.yaml` records the mlsd version, the project answers and the resolved
patterns. `.mlsd/base.json.gz` holds every file exactly as mlsd rendered it last time, so a
later `mlsd add` or `mlsd upgrade` merges against the true base even after mlsd itself was
upgraded. It is gzip-compressed JSON (a gateway project's base: 226 KB as text, 61 KB
compressed), written with a zero timestamp so that two renders are byte-identical.
Projects made before it was compressed have `.mlsd/base.json`: it is read as well, and
replaced by the compressed file at the next `add`/`upgrade`. A dot-folder: linters, test
runners and `mlsd check` do not see it.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mlsd.errors import TargetError

STATE_DIR = ".mlsd"
ANSWERS_FILE = f"{STATE_DIR}/answers.yaml"
BASE_FILE = f"{STATE_DIR}/base.json.gz"
LEGACY_BASE_FILE = f"{STATE_DIR}/base.json"  # uncompressed: projects of earlier mlsd versions
PENDING_FILE = f"{STATE_DIR}/pending.json"
ANSWERS_HEADER = (
    "# Written by mlsd: the answers this project was rendered from. `mlsd add` and\n"
    "# `mlsd upgrade` read it; edit it only through them.\n"
)


@dataclass(frozen=True)
class Answers:
    mlsd_version: str
    project: dict[str, str]
    patterns: tuple[str, ...]
    options: dict[str, Any]
    requested: tuple[str, ...] = ()  # what the user asked for; `patterns` is the closed set
    packs: tuple[dict[str, str], ...] = ()  # pattern packs the patterns come from

    def to_yaml(self) -> bytes:
        data: dict[str, Any] = {
            "mlsd_version": self.mlsd_version,
            "project": dict(self.project),
            "requested": list(self.requested or self.patterns),
            "patterns": list(self.patterns),
            "options": dict(self.options),
        }
        if self.packs:
            data["packs"] = [dict(p) for p in self.packs]
        return (ANSWERS_HEADER + yaml.safe_dump(data, sort_keys=False)).encode("utf-8")


def state_files(answers: Answers, tree: dict[str, bytes]) -> dict[str, bytes]:
    """The two files that record a render; added to the tree that is written."""
    base = {path: data.decode("utf-8", errors="surrogateescape") for path, data in tree.items()}
    text = json.dumps(base, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
    # mtime=0: the gzip header then holds no timestamp, so equal trees give equal bytes;
    # level 6 (gzip's default) is twice as fast as 9 for 1% more bytes
    packed = gzip.compress(text.encode("utf-8", "surrogateescape"), compresslevel=6, mtime=0)
    return {ANSWERS_FILE: answers.to_yaml(), BASE_FILE: packed}


def is_project(root: Path) -> bool:
    return (root / ANSWERS_FILE).is_file()


def find_root(start: Path) -> Path:
    """The project folder holding `start`: like git, look upwards for `.mlsd/answers.yaml`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project(folder):
            return folder
    raise TargetError(
        f"{start} is not an mlsd project: no {ANSWERS_FILE} here or in a parent folder",
        hint="run the command inside a project made by `mlsd new`, or pass --path",
    )


def _damaged(path: Path, problem: str) -> TargetError:
    return TargetError(
        f"{path} is damaged: {problem}",
        hint=f"restore it from version control (e.g. `git checkout -- {STATE_DIR}/{path.name}`)",
    )


def _read_text(path: Path, data: bytes | None = None) -> str:
    try:
        return (path.read_bytes() if data is None else data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _damaged(path, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise _damaged(path, exc.strerror or str(exc)) from None


def _read_gzip(path: Path) -> str:
    try:
        packed = path.read_bytes()
        data = gzip.decompress(packed)
    except gzip.BadGzipFile as exc:
        problem = "corrupt gzip data" if packed.startswith(b"\x1f\x8b") else "not gzip data"
        raise _damaged(path, f"{problem} ({exc})") from None
    except EOFError:
        raise _damaged(path, "cut short: the gzip data ends early") from None
    except zlib.error as exc:
        raise _damaged(path, f"corrupt gzip data ({exc})") from None
    except OSError as exc:
        raise _damaged(path, exc.strerror or str(exc)) from None
    return _read_text(path, data)


def read_answers(root: Path) -> Answers:
    path = root / ANSWERS_FILE
    if not path.is_file():
        raise TargetError(
            f"{root} is not an mlsd project: {ANSWERS_FILE} is missing",
            hint="run the command inside a project made by `mlsd new`, or pass --path",
        )
    try:
        data = yaml.safe_load(_read_text(path))
    except yaml.YAMLError as exc:
        raise _damaged(path, f"not valid YAML: {exc}") from None
    return answers_from_data(path, data)


def answers_from_data(path: Path, data: Any) -> Answers:
    """Recorded answers from their parsed YAML; a clear TargetError when damaged."""
    if not isinstance(data, dict):
        raise _damaged(path, "empty" if data is None else "not a mapping of answers")
    project, patterns = data.get("project"), data.get("patterns")
    if not isinstance(project, dict) or not all(
        isinstance(project.get(k), str) for k in ("name", "package")
    ):
        raise _damaged(path, "`project` must map name and package to text")
    if not _str_list(patterns) or not _str_list(data.get("requested") or patterns):
        raise _damaged(path, "`patterns` must be a list of pattern ids")
    options = data.get("options") or {}
    if not isinstance(options, dict) or "mlsd_version" not in data:
        raise _damaged(path, "`options` must be a mapping and `mlsd_version` present")
    packs = data.get("packs") or []
    if not isinstance(packs, list) or not all(
        isinstance(p, dict) and isinstance(p.get("name"), str) and isinstance(p.get("source"), str)
        for p in packs
    ):
        raise _damaged(path, "`packs` must list each pack's name and source")
    return Answers(
        mlsd_version=str(data["mlsd_version"]),
        project={str(k): str(v) for k, v in project.items()},
        patterns=tuple(patterns),
        options=options,
        requested=tuple(data.get("requested") or patterns),
        packs=tuple({str(k): str(v) for k, v in p.items()} for p in packs),
    )


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def base_path(root: Path) -> Path | None:
    """The project's merge base file: the compressed one, else an older project's JSON."""
    for rel in (BASE_FILE, LEGACY_BASE_FILE):
        if (root / rel).is_file():
            return root / rel
    return None


def read_base(root: Path) -> dict[str, bytes]:
    path = base_path(root)
    if path is None:
        raise TargetError(
            f"{root / BASE_FILE} is missing, so the merge base is unknown",
            hint="restore it from version control; without it a safe merge is impossible",
        )
    text = _read_gzip(path) if path.name.endswith(".gz") else _read_text(path)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _damaged(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(t, str) for t in data.values()):
        raise _damaged(path, "it must map each file path to its text")
    return {p: t.encode("utf-8", "surrogateescape") for p, t in data.items()}


def retired_files(root: Path, files: dict[str, bytes]) -> list[str]:
    """State files that writing `files` makes obsolete: an older project's uncompressed base
    goes in the same atomic apply that writes the compressed one."""
    if BASE_FILE in files and (root / LEGACY_BASE_FILE).is_file():
        return [LEGACY_BASE_FILE]
    return []


def pending_file(conflicts: list[str], sidecars: list[str], state: dict[str, bytes]) -> bytes:
    """The parked merge: what is left to resolve, and the state files to write once it is.

    Text state files are stored as text; binary ones (the compressed base) as base64.
    """
    text, binary = {}, {}
    for rel, data in state.items():
        try:
            text[rel] = data.decode("utf-8")
        except UnicodeDecodeError:
            binary[rel] = base64.b64encode(data).decode("ascii")
    pending = {"conflicts": conflicts, "sidecars": sidecars, "state": text}
    if binary:
        pending["state_base64"] = binary
    return json.dumps(pending, indent=1, sort_keys=True).encode()


def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _pending_state(data: dict[str, Any]) -> dict[str, bytes] | None:
    """The state files a pending merge parked, or None when they are damaged."""
    state = {p: t.encode("utf-8") for p, t in data["state"].items()}
    try:
        for rel, packed in data.get("state_base64", {}).items():
            state[rel] = base64.b64decode(packed, validate=True)
    except (ValueError, TypeError):
        return None
    return state


def read_pending(root: Path) -> dict[str, Any] | None:
    """The unfinished merge parked by add/upgrade, or None when there is none.

    Its ``state`` maps each state file to the bytes to write when the merge is finished.
    """
    path = root / PENDING_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(_read_text(path))
    except (ValueError, TargetError):
        data = None
    valid = (
        isinstance(data, dict)
        and _str_list(data.get("conflicts"))
        and _str_list(data.get("sidecars"))
        and _str_map(data.get("state"))
        and _str_map(data.get("state_base64", {}))
    )
    state = _pending_state(data) if valid else None
    if state is None:
        raise TargetError(
            f"{path} is damaged, so the unfinished merge it records cannot be finished",
            hint="`mlsd abort` undoes that merge; or delete "
            f"{PENDING_FILE} to drop it (your files keep what it wrote), then run the command "
            "again",
        )
    return {**data, "state": state}
