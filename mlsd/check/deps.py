"""Dependency declarations: requirements files, pyproject.toml (PEP 621, Poetry), lock files."""

from __future__ import annotations

import re
from dataclasses import dataclass

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
LOCK_FILES = frozenset(
    {
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "pipfile.lock",
        "conda-lock.yml",
        "conda-lock.yaml",
        "requirements.lock",
        "pixi.lock",
    }
)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Requirement:
    name: str  # normalised
    extras: tuple[str, ...]
    spec: str
    line: int
    path: str
    group: str = ""  # "" base, or the extra / group name

    @property
    def pinned(self) -> bool:
        s = self.spec.replace(" ", "")
        return "==" in s or s.startswith("@") or "@" in s.split(";")[0]


def parse_requirement(text: str, line: int, path: str, group: str = "") -> Requirement | None:
    text = text.split(" #", 1)[0].strip()
    if not text or text.startswith(("#", "-", "git+", "http:", "https:", "file:", ".", "/")):
        return None
    m = _REQ.match(text)
    if not m:
        return None
    extras = tuple(e.strip() for e in (m.group(2) or "").strip("[]").split(",") if e.strip())
    return Requirement(normalise(m.group(1)), extras, m.group(3).strip(), line, path, group)


def parse_requirements_txt(path: str, text: str) -> tuple[list[Requirement], list[str]]:
    """Requirements and the files it includes with -r / -c."""
    reqs: list[Requirement] = []
    includes: list[str] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith(("-r ", "-c ", "--requirement ", "--constraint ")):
            includes.append(line.split(None, 1)[1].strip())
            continue
        req = parse_requirement(line, n, path)
        if req:
            reqs.append(req)
    return reqs, includes


def _line_of(text: str, needle: str) -> int:
    idx = text.find(needle)
    return text.count("\n", 0, idx) + 1 if idx >= 0 else 1


def parse_pyproject_deps(path: str, text: str, data: dict) -> list[Requirement]:
    out: list[Requirement] = []
    project = data.get("project") or {}
    for dep in project.get("dependencies") or []:
        if isinstance(dep, str) and (r := parse_requirement(dep, _line_of(text, dep), path)):
            out.append(r)
    for group, deps in (project.get("optional-dependencies") or {}).items():
        for dep in deps or []:
            if isinstance(dep, str) and (
                r := parse_requirement(dep, _line_of(text, dep), path, group)
            ):
                out.append(r)
    for group, deps in (data.get("dependency-groups") or {}).items():
        for dep in deps or []:
            if isinstance(dep, str) and (
                r := parse_requirement(dep, _line_of(text, dep), path, group)
            ):
                out.append(r)
    poetry = (data.get("tool") or {}).get("poetry") or {}
    sections = [("", poetry.get("dependencies") or {})]
    for group, body in (poetry.get("group") or {}).items():
        sections.append((group, (body or {}).get("dependencies") or {}))
    for group, deps in sections:
        for name, spec in deps.items():
            if name.lower() == "python":
                continue
            version = spec if isinstance(spec, str) else str((spec or {}).get("version", ""))
            pinned = re.fullmatch(r"\s*=?=?\s*\d[\w.]*\s*", version or "")
            out.append(
                Requirement(
                    normalise(name),
                    (),
                    f"=={version.lstrip('=')}" if pinned else version,
                    _line_of(text, f"{name} ="),
                    path,
                    group,
                )
            )
    return out
