"""Seeded fuzz: random user edits, then `add`, `remove`, a switch and `abort` through the CLI.

After every command: no line the user wrote is lost, files the user deleted stay deleted
(while mlsd renders them),
the exit code is non-zero exactly when conflict markers (or .rej/.mlsd-new files) were
written, a refused command writes nothing, and `abort` after a conflict restores the tree
byte for byte.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_add import new, snapshot, valid_pairs
from typer.testing import CliRunner

from mlsd.catalog import load_catalog
from mlsd.cli import app
from mlsd.merge import START_MARKER
from mlsd.state import read_answers, read_base

CATALOG = load_catalog()
TEXT = (".py", ".md", ".toml", ".yaml", ".yml")


def cli(*args: str | Path) -> int:
    return CliRunner().invoke(app, [str(a) for a in args]).exit_code


def conflict_written(root: Path) -> bool:
    for rel, data in snapshot(root).items():
        if rel.startswith(".mlsd/"):
            continue
        if rel.endswith((".rej", ".mlsd-new")) or START_MARKER in data:
            return True
    return False


class User:
    """Edits a project like a person would, remembering what they wrote and deleted."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        self.lines: dict[str, set[bytes]] = {}
        self.deleted: set[str] = set()

    def edit(self, n: int) -> None:
        files = sorted(p for p in snapshot(self.root) if not p.startswith(".mlsd"))
        texts = [p for p in files if p.endswith(TEXT)]
        for rel in self.rng.sample(texts, k=min(n, len(texts))):
            self._edit_lines(rel)
        if self.rng.random() < 0.5:
            self._add_dependency()
        if self.rng.random() < 0.4:
            self._to_crlf(self.rng.choice(texts))
        if self.rng.random() < 0.5:
            rel = self.rng.choice([p for p in files if p not in self.lines])
            (self.root / rel).unlink()
            self.deleted.add(rel)

    def _mark(self, rel: str) -> bytes:
        line = f"# user edit {self.rng.randrange(10**9)}".encode()
        self.lines.setdefault(rel, set()).add(line)
        return line

    def _edit_lines(self, rel: str) -> None:
        path = self.root / rel
        lines = path.read_bytes().splitlines(keepends=True)
        for _ in range(self.rng.randint(1, 3)):
            at = self.rng.randrange(len(lines) + 1)
            mark = self._mark(rel) + b"\n"
            if self.rng.random() < 0.6 or not lines:
                lines.insert(at, mark)
            else:
                at = min(at, len(lines) - 1)
                self.lines[rel].discard(lines[at].strip())  # the user overwrote their own line
                lines[at] = mark
        path.write_bytes(b"".join(lines))

    def _add_dependency(self) -> None:
        path = self.root / "pyproject.toml"
        name = f"userpkg{self.rng.randrange(10**6)}"
        if not path.is_file():  # the user deleted it earlier
            return
        data = path.read_bytes()
        eol = b"\r\n" if b"dependencies = [\r\n" in data else b"\n"  # the user may use CRLF
        opening = b"dependencies = [" + eol
        assert opening in data, "no dependency list to add to"
        path.write_bytes(data.replace(opening, opening + f'    "{name}>=1",'.encode() + eol, 1))
        self.lines.setdefault("pyproject.toml", set()).add(f'"{name}>=1",'.encode())

    def _to_crlf(self, rel: str) -> None:
        path = self.root / rel
        if rel not in self.deleted and b"\r" not in path.read_bytes():
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    def check(self, when: str) -> None:
        for rel, lines in self.lines.items():
            path = self.root / rel
            assert path.is_file(), f"{when}: {rel}, which the user edited, is gone"
            now = {line.strip() for line in path.read_bytes().splitlines()}
            lost = {line for line in lines if line not in now}
            assert not lost, f"{when}: {rel} lost {lost}"
        back = [rel for rel in self.deleted if (self.root / rel).exists()]
        assert not back, f"{when}: deleted files came back: {back}"


def switch_for(root: Path, rng: random.Random) -> tuple[str, str] | None:
    current = read_answers(root).patterns
    options = []
    for axis_id, axis in CATALOG.axes.items():
        members = [p for p in CATALOG.axis_members(axis_id) if CATALOG.entries[p].available]
        here = [p for p in members if p in current]
        if axis.max == 1 and here:
            options += [(new_id, here[0]) for new_id in members if new_id not in current]
    return rng.choice(options) if options else None


def step(root: Path, user: User, when: str, *args: str) -> None:
    before = snapshot(root)
    code = cli(*args, "--path", root, "--allow-dirty")
    user.check(when)
    if code == 2:  # refused (e.g. the set no longer resolves): nothing written
        assert snapshot(root) == before, when
        return
    assert (code != 0) == conflict_written(root), f"{when}: exit {code}"
    if code != 0:
        assert cli("abort", "--path", root) == 0
        assert snapshot(root) == before, f"{when}: abort did not restore the tree"
    # A deleted file mlsd no longer renders is forgotten: a later pattern may bring it anew.
    user.deleted &= set(read_base(root))


@pytest.mark.parametrize("seed", range(16))
def test_fuzz_edits_then_add_remove_switch_abort(tmp_path, seed):
    rng = random.Random(seed)
    first, second = rng.choice(valid_pairs())
    root = new(tmp_path / "demo", first)
    user = User(root, rng)
    user.edit(4)
    step(root, user, f"add {second} (seed {seed})", "add", second)
    if second in read_answers(root).patterns:
        user.edit(2)
        step(root, user, f"remove {second} (seed {seed})", "remove", second)
    switch = switch_for(root, rng)
    if switch is not None:
        step(root, user, f"switch {switch} (seed {seed})", "add", switch[0], "--replace", switch[1])
