"""The repository's shared files, changed only by one marked block mlsd owns.

A compose file gets an `include:` of the adopted folder's compose file, a CI workflow a job
running `mlsd check` (and the adopted folder's tests), a pre-commit config a local hook. Each
is appended between two marker lines, and only to a file that exists. What mlsd wants a file
to be is the user's version (the merge base with mlsd's old block taken out, or the file on
disk the first time) plus the new block; the three-way merge then keeps every edit the user
made since. A file whose shape does not allow an appended block (a compose file with its own
`include:`, a workflow whose last key is not `jobs:`) is left alone, and the plan says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BEGIN = "# >>> mlsd adopt: written by `mlsd add/remove/upgrade`; edit around this block"
END = "# <<< mlsd adopt"
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
WORKFLOWS = ".github/workflows"
PRE_COMMIT = ".pre-commit-config.yaml"


@dataclass
class Shared:
    """What the shared files become: their new text, the base the merge starts from, notes."""

    files: dict[str, bytes] = field(default_factory=dict)
    base: dict[str, bytes] = field(default_factory=dict)  # first time: the user's file on disk
    notes: list[str] = field(default_factory=list)


def strip_block(text: str) -> str:
    """``text`` without mlsd's block (the user's own lines)."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        mark = line.strip()
        if mark.startswith(BEGIN[:16]):
            inside = True
        elif inside and mark.startswith(END):
            inside = False
        elif not inside:
            out.append(line)
    return "".join(out)


def append_block(text: str, lines: list[str], indent: str) -> str:
    """``text`` with ``lines`` appended between the markers, in the file's line endings."""
    if not lines:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    block = [indent + BEGIN, *(indent + line if line else "" for line in lines), indent + END]
    return text + newline.join(block) + newline


def _last_key(text: str) -> tuple[str | None, str | None]:
    """The last top-level key of a YAML file and the indentation of the first line under it
    (None when nothing is under it yet)."""
    last: str | None = None
    indent: str | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if re.match(r"^[A-Za-z_\"']", line):
            last, indent = line.split(":", 1)[0].strip("\"' "), None
        elif indent is None:
            indent = line[: len(line) - len(line.lstrip())]
    return last, indent


def _mapping(text: str) -> dict | None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def plan_shared(
    root: Path,
    base: Mapping[str, bytes],
    blocks: Mapping[str, Callable[[dict], list[str]]],
) -> Shared:
    """Each existing shared file with its block. ``blocks`` maps a kind (compose, workflow,
    pre-commit) to the lines of its block, given the file's parsed content."""
    shared = Shared()
    found = _existing(root, base)
    for rel, kind in found:
        data = base.get(rel)
        if data is None:
            data = (root / rel).read_bytes()
            first = True
        else:
            first = False
        original = strip_block(data.decode("utf-8", "surrogateescape"))
        parsed = _mapping(original)
        key, indent = _last_key(original)
        lines = blocks[kind](parsed or {}) if parsed is not None else []
        fits = {"compose": parsed is not None and "include" not in parsed}
        fits["workflow"] = key == "jobs" and bool(indent)
        fits["pre-commit"] = key == "repos"
        if lines and not fits[kind]:
            shared.notes.append(f"left {rel} alone: {_why(kind)}; add it by hand if you want it")
            lines = []
        if indent is None:
            indent = "  "  # nothing under the key yet (a config whose only repo is mlsd's)
        text = append_block(original, lines, "" if kind == "compose" else indent)
        if first and not lines:
            continue  # an untouched file stays out of the merge base: it is the user's
        if first:
            shared.base[rel] = data
        shared.files[rel] = text.encode("utf-8", "surrogateescape")
    hook = blocks["pre-commit"]({})
    if PRE_COMMIT not in shared.files and not any(k == "pre-commit" for _, k in found) and hook:
        # no pre-commit config yet: mlsd's own file (a new file changes no byte of the user's)
        shared.files[PRE_COMMIT] = append_block("repos:\n", hook, "  ").encode()
    return shared


def _why(kind: str) -> str:
    return {
        "compose": "it is not a YAML mapping or has its own `include:`",
        "workflow": "its last top-level key is not an indented `jobs:` mapping",
        "pre-commit": "its last top-level key is not `repos:`",
    }[kind]


def _existing(root: Path, base: Mapping[str, bytes]) -> list[tuple[str, str]]:
    """The shared files that exist (on disk, or in the merge base), with their kind."""

    def exists(rel: str) -> bool:
        return rel in base or (root / rel).is_file()

    found = (
        [(next(r for r in COMPOSE_FILES if exists(r)), "compose")]
        if any(exists(r) for r in COMPOSE_FILES)
        else []
    )
    folder = root / WORKFLOWS
    flows = sorted(
        {p for p in base if p.startswith(WORKFLOWS + "/")}
        | (
            {f"{WORKFLOWS}/{p.name}" for p in folder.iterdir() if p.suffix in (".yml", ".yaml")}
            if folder.is_dir()
            else set()
        )
    )
    preferred = [f for f in flows if f.rsplit("/", 1)[1] in ("ci.yml", "ci.yaml")]
    if flows:
        found.append(((preferred or flows)[0], "workflow"))
    if exists(PRE_COMMIT):
        found.append((PRE_COMMIT, "pre-commit"))
    return found
