"""`mlsd add` / `upgrade` / `status` / `resume` on real rendered projects.

Property: new(A) + add(B) gives the same bytes as new(A, B); add twice is refused, a
second render changes nothing, and `remove B` gives new(A)'s bytes back (one render of each
set serves both directions). Golden scenarios cover user edits in pattern and shared
files, deletes and renames; a seeded fuzz test checks that no user line is ever lost.
"""

from __future__ import annotations

import itertools
import random
import subprocess
from functools import cache
from pathlib import Path

import pytest

from mlsd import api, evolve, merge
from mlsd.catalog import load_catalog
from mlsd.errors import ConflictError, MlsdError, TargetError, UsageError
from mlsd.state import ANSWERS_FILE, PENDING_FILE, read_answers

AVAILABLE = [e.id for e in load_catalog().patterns if e.available]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def new(root: Path, *patterns: str) -> Path:
    api.new_project(root, list(patterns), use_defaults=True)
    return root


@cache
def valid_pairs() -> list[tuple[str, str]]:
    pairs = []
    for a, b in itertools.permutations(AVAILABLE, 2):
        try:
            alone = api.resolve_selection([a], use_defaults=True)
            api.resolve_selection([a, b], use_defaults=True)
        except MlsdError:
            continue
        if b not in alone.patterns:
            pairs.append((a, b))
    return pairs


@pytest.mark.parametrize(("a", "b"), valid_pairs(), ids=[f"{a}+{b}" for a, b in valid_pairs()])
def test_new_then_add_equals_new_with_both_and_remove_gives_it_back(tmp_path, a, b):
    stepwise = new(tmp_path / "one" / "demo", a)
    alone = snapshot(stepwise)
    result = api.add_patterns(stepwise, [b])
    assert not result.plan.has_conflicts
    together = new(tmp_path / "two" / "demo", a, b)
    assert snapshot(stepwise) == snapshot(together)
    with pytest.raises(UsageError, match="already part"):
        api.add_patterns(stepwise, [b])
    again = api.upgrade_project(stepwise)
    assert not again.plan.writes and not again.plan.deletes
    assert snapshot(stepwise) == snapshot(together)
    removed = api.remove_patterns(stepwise, [b])
    assert not removed.plan.has_conflicts
    assert snapshot(stepwise) == alone


def test_edit_in_a_shared_file_is_merged(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    readme = root / "README.md"
    readme.write_text("My team's intro.\n\n" + readme.read_text() + "\nOur runbook link.\n")
    result = api.add_patterns(root, ["asynchronous"])
    actions = {e.path: e.action.value for e in result.plan.entries}
    assert actions["README.md"] == "merge"
    text = readme.read_text()
    assert text.startswith("My team's intro.") and "Our runbook link." in text
    assert "asynchronous" in text.lower()
    assert read_answers(root).patterns == ("web-single", "asynchronous", "model-in-image")


def test_edit_in_dependencies_and_pattern_file_are_kept(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("dev = [\n", 'dev = [\n    "mypy",\n'))
    app = root / "src/demo/serving/app.py"
    app.write_text(app.read_text() + "\n# my tweak\n")
    result = api.add_patterns(root, ["asynchronous"])
    actions = {e.path: e.action.value for e in result.plan.entries}
    assert actions["src/demo/serving/app.py"] in {"keep", "merge"}
    assert '"mypy"' in pyproject.read_text() and "rq==" in pyproject.read_text()
    assert app.read_text().endswith("# my tweak\n")


def test_deleted_and_renamed_files(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    (root / "CODEOWNERS").unlink()
    (root / "MODEL_CARD.md").rename(root / "docs-model-card.md")
    result = api.add_patterns(root, ["asynchronous"])
    actions = {e.path: e.action.value for e in result.plan.entries}
    assert actions["CODEOWNERS"] == "user-deleted"
    assert actions["MODEL_CARD.md"] == "user-deleted"
    assert not (root / "CODEOWNERS").exists()
    assert not (root / "MODEL_CARD.md").exists()
    assert (root / "docs-model-card.md").is_file()


def test_replacing_a_default_topology_removes_its_unchanged_files(tmp_path):
    root = new(tmp_path / "demo", "asynchronous")
    result = api.add_patterns(root, ["synchronous"])
    assert "web-single" not in result.resolution.patterns
    assert any(n.startswith("drops web-single") for n in result.notes)


def test_conflict_then_status_then_resume(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    readme = root / "README.md"
    readme.write_text("entirely my own readme\n")  # overlaps every change mlsd makes there
    before_answers = (root / ANSWERS_FILE).read_bytes()
    result = api.add_patterns(root, ["asynchronous"])
    assert result.plan.conflicts == ["README.md"]
    assert (root / PENDING_FILE).exists()
    assert (root / ANSWERS_FILE).read_bytes() == before_answers
    text = readme.read_text()
    assert merge.START_MARKER.decode() in text and "entirely my own readme" in text
    assert (root / "src/demo/routes/jobs.py").is_file()  # the clean part was applied
    status = evolve.project_status(root)
    assert status.conflicts == ["README.md"]
    with pytest.raises(TargetError, match="conflicts"):
        api.add_patterns(root, ["model-load"])
    with pytest.raises(ConflictError):
        evolve.resume(root)
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):  # resolve: take mlsd's side of each block
        if line.startswith(merge.START_MARKER.decode()):
            skipping = True
        elif line.startswith(merge.MID_MARKER.decode()):
            skipping = False
        elif line.startswith(merge.END_MARKER.decode()):
            continue
        elif not skipping:
            kept.append(line)
    readme.write_text("".join(kept))
    assert evolve.project_status(root).resolved == ["README.md"]
    evolve.resume(root)
    assert not (root / PENDING_FILE).exists()
    assert "asynchronous" in read_answers(root).patterns
    assert not api.upgrade_project(root).plan.has_conflicts


def test_rej_style_keeps_the_users_file(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    readme = root / "README.md"
    readme.write_text("entirely my own readme\n")
    result = api.add_patterns(root, ["asynchronous"], conflict_style="rej")
    assert result.plan.has_conflicts
    assert readme.read_text() == "entirely my own readme\n"
    assert "asynchronous" in (root / "README.md.rej").read_text().lower()
    assert evolve.project_status(root).conflicts == ["README.md.rej"]
    (root / "README.md.rej").unlink()
    evolve.resume(root)
    assert "asynchronous" in read_answers(root).patterns


def test_refusals_write_nothing(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    before = snapshot(root)
    for patterns, error in [
        (["nope"], MlsdError),
        (["web-single"], UsageError),
        (["synchronous"], MlsdError),  # clashes with the explicit web-single
    ]:
        with pytest.raises(error):
            api.add_patterns(root, patterns)
    with pytest.raises(TargetError, match="not an mlsd project"):
        api.add_patterns(tmp_path, ["asynchronous"])
    assert snapshot(root) == before


def test_dirty_git_project_is_refused_unless_allowed(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    git = ["git", "-C", str(root), "-c", "user.email=t@e", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "init"], check=True)
    (root / "README.md").write_text("dirty\n")
    with pytest.raises(TargetError, match="uncommitted"):
        api.add_patterns(root, ["asynchronous"])
    api.add_patterns(root, ["asynchronous"], allow_dirty=True)


def test_dry_run_writes_nothing(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    before = snapshot(root)
    result = api.add_patterns(root, ["asynchronous"], dry_run=True)
    assert result.plan.counts()
    assert snapshot(root) == before


def test_failure_mid_apply_leaves_project_as_it_was(tmp_path, monkeypatch):
    root = new(tmp_path / "demo", "web-single")
    (root / "README.md").write_text((root / "README.md").read_text() + "mine\n")
    before = snapshot(root)
    real = merge.apply._replace
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(merge.apply, "_replace", flaky)
    with pytest.raises(OSError):
        api.add_patterns(root, ["asynchronous"])
    assert snapshot(root) == before


def _user_lines(base: bytes, ours: bytes) -> set[bytes]:
    base_lines = set(base.splitlines())
    return {line for line in ours.splitlines() if line not in base_lines and line.strip()}


@pytest.mark.parametrize("seed", range(12))
def test_fuzz_no_user_line_is_lost(tmp_path, seed):
    rng = random.Random(seed)
    first, second = rng.choice(valid_pairs())
    root = new(tmp_path / "demo", first)
    candidates = sorted(
        p
        for p in snapshot(root)
        if not p.startswith(".mlsd") and p.endswith((".py", ".md", ".toml", ".yaml", ".yml"))
    )
    edited: dict[str, bytes] = {}
    for rel in rng.sample(candidates, k=min(4, len(candidates))):
        path = root / rel
        lines = path.read_bytes().splitlines(keepends=True)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(lines) + 1)
            marker = f"# user edit {seed}-{rng.randrange(10**6)}\n".encode()
            if rng.random() < 0.5 or not lines:
                lines.insert(at, marker)
            else:
                lines[min(at, len(lines) - 1)] = marker
        path.write_bytes(b"".join(lines))
        edited[rel] = path.read_bytes()
    base = evolve.read_base(root)
    api.add_patterns(root, [second])
    for rel, ours in edited.items():
        now = (root / rel).read_bytes() if (root / rel).exists() else b""
        for line in _user_lines(base.get(rel, b""), ours):
            assert line in now, f"{rel}: lost {line!r} (seed {seed}, {first}+{second})"


def test_upgrade_merges_a_newer_template_into_user_edits(tmp_path):
    """Simulate a project rendered by an older mlsd: its base lacks a line the current
    templates have, and is the uncompressed `.mlsd/base.json` of earlier versions.
    `upgrade` brings that line in, keeps the user's own edit and compresses the base."""
    import json

    from mlsd.state import BASE_FILE, LEGACY_BASE_FILE, read_base

    root = new(tmp_path / "demo", "web-single")
    rel = "src/demo/serving/app.py"
    current = (root / rel).read_text()
    lines = current.splitlines(keepends=True)
    dropped = next(i for i, line in enumerate(lines) if line.startswith("def "))
    old = "".join(lines[:dropped] + lines[dropped + 1 :])
    base = {path: data.decode() for path, data in read_base(root).items()}
    base[rel] = old
    (root / LEGACY_BASE_FILE).write_text(json.dumps(base))
    (root / BASE_FILE).unlink()
    (root / rel).write_text("# owned by the ranking team\n" + old)
    answers = root / ANSWERS_FILE
    answers.write_text(answers.read_text().replace("mlsd_version: 0.1.0", "mlsd_version: 0.0.9"))
    result = api.upgrade_project(root)
    assert {e.path: e.action.value for e in result.plan.entries}[rel] == "merge"
    assert any("0.0.9" in note for note in result.notes)
    text = (root / rel).read_text()
    assert text.startswith("# owned by the ranking team\n")
    assert text == "# owned by the ranking team\n" + current
    assert read_answers(root).mlsd_version != "0.0.9"
    assert (root / BASE_FILE).is_file() and not (root / LEGACY_BASE_FILE).exists()
    assert read_base(root)[rel].decode() == current


def test_old_uncompressed_base_survives_a_conflict_and_resume(tmp_path):
    """A project of an earlier mlsd (`.mlsd/base.json`) merges with a conflict: the old base
    stays until `resume`, which writes the compressed one from the parked state."""
    import json

    from mlsd.state import BASE_FILE, LEGACY_BASE_FILE, read_base

    root = new(tmp_path / "demo", "web-single")
    base = {path: data.decode() for path, data in read_base(root).items()}
    (root / LEGACY_BASE_FILE).write_text(json.dumps(base))
    (root / BASE_FILE).unlink()
    (root / "README.md").write_text("entirely my own readme\n")
    result = api.add_patterns(root, ["asynchronous"])
    assert result.pending and result.plan.conflicts == ["README.md"]
    assert (root / LEGACY_BASE_FILE).is_file() and not (root / BASE_FILE).exists()
    (root / "README.md").write_text("entirely my own readme, merged by hand\n")
    evolve.resume(root)
    assert (root / BASE_FILE).is_file() and not (root / LEGACY_BASE_FILE).exists()
    assert "asynchronous" in read_answers(root).patterns
    assert "README.md" in read_base(root)
