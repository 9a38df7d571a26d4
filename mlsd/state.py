"""The project's recorded answers and its exact merge base.

`.mlsd/answers.yaml` records the mlsd version, the project answers and the resolved
patterns. `.mlsd/base.json` holds every file exactly as mlsd rendered it last time, so a
later `mlsd add` or `mlsd upgrade` merges against the true base even after mlsd itself was
upgraded. JSON in a dot-folder: linters, test runners and `mlsd check` do not see it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mlsd.errors import TargetError

STATE_DIR = ".mlsd"
ANSWERS_FILE = f"{STATE_DIR}/answers.yaml"
BASE_FILE = f"{STATE_DIR}/base.json"
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

    def to_yaml(self) -> bytes:
        data = {
            "mlsd_version": self.mlsd_version,
            "project": dict(self.project),
            "requested": list(self.requested or self.patterns),
            "patterns": list(self.patterns),
            "options": dict(self.options),
        }
        return (ANSWERS_HEADER + yaml.safe_dump(data, sort_keys=False)).encode("utf-8")


def state_files(answers: Answers, tree: dict[str, bytes]) -> dict[str, bytes]:
    """The two files that record a render; added to the tree that is written."""
    base = {path: data.decode("utf-8", errors="surrogateescape") for path, data in tree.items()}
    text = json.dumps(base, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
    return {ANSWERS_FILE: answers.to_yaml(), BASE_FILE: text.encode("utf-8", "surrogateescape")}


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
        hint="restore it from version control (e.g. `git checkout -- " + f"{path.name}`)",
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _damaged(path, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise _damaged(path, exc.strerror or str(exc)) from None


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
    return Answers(
        mlsd_version=str(data["mlsd_version"]),
        project={str(k): str(v) for k, v in project.items()},
        patterns=tuple(patterns),
        options=options,
        requested=tuple(data.get("requested") or patterns),
    )


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def read_base(root: Path) -> dict[str, bytes]:
    path = root / BASE_FILE
    if not path.is_file():
        raise TargetError(
            f"{path} is missing, so the merge base is unknown",
            hint="restore it from version control; without it a safe merge is impossible",
        )
    try:
        data = json.loads(_read_text(path))
    except ValueError as exc:
        raise _damaged(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(t, str) for t in data.values()):
        raise _damaged(path, "it must map each file path to its text")
    return {p: t.encode("utf-8", "surrogateescape") for p, t in data.items()}


def read_pending(root: Path) -> dict[str, Any] | None:
    """The unfinished merge parked by add/upgrade, or None when there is none."""
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
        and isinstance(data.get("state"), dict)
        and all(isinstance(t, str) for t in data["state"].values())
    )
    if not valid:
        raise TargetError(
            f"{path} is damaged, so the unfinished merge it records cannot be finished",
            hint="`mlsd abort` undoes that merge; or delete "
            f"{PENDING_FILE} to drop it (your files keep what it wrote), then run the command "
            "again",
        )
    return data
