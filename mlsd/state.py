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


def read_answers(root: Path) -> Answers:
    path = root / ANSWERS_FILE
    if not path.is_file():
        raise TargetError(
            f"{root} is not an mlsd project: {ANSWERS_FILE} is missing",
            hint="run the command inside a project made by `mlsd new`, or pass --path",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Answers(
            mlsd_version=str(data["mlsd_version"]),
            project=dict(data["project"]),
            patterns=tuple(data["patterns"]),
            options=dict(data.get("options") or {}),
            requested=tuple(data.get("requested") or data["patterns"]),
        )
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise TargetError(
            f"{path} is damaged: {exc}", hint="restore it from version control"
        ) from exc


def read_base(root: Path) -> dict[str, bytes]:
    path = root / BASE_FILE
    if not path.is_file():
        raise TargetError(
            f"{path} is missing, so the merge base is unknown",
            hint="restore it from version control; without it a safe merge is impossible",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise TargetError(
            f"{path} is damaged: {exc}", hint="restore it from version control"
        ) from exc
    return {p: t.encode("utf-8", "surrogateescape") for p, t in data.items()}


def _damaged(path: Path, exc: Exception) -> TargetError:
    return TargetError(f"{path} is damaged: {exc}", hint="restore it from version control")
