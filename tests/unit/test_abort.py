"""`mlsd abort`, `status` and `resume` around a change in progress.

A conflicted or killed add/remove/switch/upgrade is undone to exactly the tree before it;
`status` names the change; `resume` refuses when files the change wrote are gone; every
message that mentions `resume` also mentions `abort`; a newer project is never downgraded.
"""

from __future__ import annotations

import multiprocessing
import os

import pytest
from test_add import new, snapshot
from test_hostile_input import mlsd

from mlsd import api, merge, operation
from mlsd.errors import ConflictError, TargetError, UsageError
from mlsd.state import ANSWERS_FILE, PENDING_FILE


def conflicting_readme(root):
    (root / "README.md").write_text("entirely my own readme\n")


@pytest.mark.parametrize(
    ("patterns", "change"),
    [
        (["web-single"], lambda r: api.add_patterns(r, ["asynchronous"])),
        (["web-single", "asynchronous"], lambda r: api.remove_patterns(r, ["asynchronous"])),
        (
            ["web-single"],
            lambda r: api.add_patterns(r, ["synchronous"], replace=["web-single"]),
        ),
        (["web-single"], lambda r: api.add_patterns(r, ["asynchronous"], conflict_style="rej")),
    ],
    ids=["add", "remove", "switch", "add-rej"],
)
def test_abort_after_a_conflict_restores_the_tree_byte_for_byte(tmp_path, patterns, change):
    root = new(tmp_path / "demo", *patterns)
    conflicting_readme(root)
    (root / "src/demo/mine.py").write_text("MINE = 1\n")
    before = snapshot(root)
    result = change(root)
    assert result.plan.has_conflicts and snapshot(root) != before
    status = api.project_status(root)
    assert status.operation is not None and status.operation.verb == result.verb
    assert status.to_dict()["in_progress"]["patterns"] == list(result.subjects)
    done = api.abort(root)
    assert done.restored
    assert snapshot(root) == before
    assert not (root / operation.OPERATION_DIR).exists()
    assert api.project_status(root).operation is None
    with pytest.raises(UsageError, match="nothing to abort"):
        api.abort(root)


def _killed_add(root, after: int) -> None:
    """In a child process: add a pattern and die (no rollback) after ``after`` file moves."""
    real = merge.apply._replace
    calls = {"n": 0}

    def dying(src, dst):
        calls["n"] += 1
        if calls["n"] > after:
            os._exit(9)
        real(src, dst)

    merge.apply._replace = dying
    api.add_patterns(root, ["asynchronous"])
    os._exit(0)


def test_abort_after_the_process_was_killed_midway(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    (root / "README.md").write_text((root / "README.md").read_text() + "mine\n")
    before = snapshot(root)
    child = multiprocessing.get_context("fork").Process(target=_killed_add, args=(root, 5))
    child.start()
    child.join(60)
    assert child.exitcode == 9
    assert snapshot(root) != before
    status = api.project_status(root)
    assert status.interrupted and status.operation is not None
    assert status.operation.describe() == "add of asynchronous"
    with pytest.raises(TargetError, match="interrupted") as refused:
        api.add_patterns(root, ["model-load"])
    assert "mlsd abort" in (refused.value.hint or "")
    with pytest.raises(TargetError, match="interrupted"):
        api.resume(root)
    api.abort(root)
    assert snapshot(root) == before


def test_resume_refuses_when_written_files_are_missing_or_reverted(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    conflicting_readme(root)
    before = snapshot(root)
    result = api.add_patterns(root, ["asynchronous"])
    assert result.plan.conflicts == ["README.md"]
    # `git checkout .` puts changed files back; a created file is deleted by hand
    for rel, data in before.items():
        (root / rel).write_bytes(data)
    created = next(e.path for e in result.plan.entries if e.action.value == "create")
    (root / created).unlink()
    with pytest.raises(TargetError, match="missing or back to their old content") as refused:
        api.resume(root)
    assert f"missing: {created}" in refused.value.details
    assert any(d.startswith("reverted: ") for d in refused.value.details)
    assert "mlsd abort" in (refused.value.hint or "")
    assert (root / PENDING_FILE).exists()
    assert b"asynchronous" not in (root / ANSWERS_FILE).read_bytes()
    api.abort(root)
    assert snapshot(root) == before


def test_a_clean_change_leaves_no_journal_and_a_failed_one_rolls_back(tmp_path, monkeypatch):
    root = new(tmp_path / "demo", "web-single")
    api.add_patterns(root, ["asynchronous"])
    assert not (root / operation.OPERATION_DIR).exists()
    before = snapshot(root)
    monkeypatch.setattr(merge.apply, "_replace", _failing)
    with pytest.raises(OSError):
        api.remove_patterns(root, ["asynchronous"])
    assert snapshot(root) == before
    assert not (root / operation.OPERATION_DIR).exists()


def _failing(src, dst):
    raise OSError(28, "No space left on device")


def test_every_message_that_mentions_resume_also_mentions_abort(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    conflicting_readme(root)
    outputs = [mlsd("add", "asynchronous", "--path", root)]
    assert outputs[0].returncode == 1
    outputs += [
        mlsd("status", "--path", root),
        mlsd("resume", "--path", root),
        mlsd("add", "model-load", "--path", root),
        mlsd("upgrade", "--path", root),
        mlsd("remove", "asynchronous", "--path", root),
    ]
    for out in outputs:
        text = out.stdout + out.stderr
        assert "add of asynchronous" in text or out is outputs[0]
        if "resume" in text:
            assert "abort" in text, text
    assert outputs[1].returncode == 1 and outputs[2].returncode == 1
    assert all(o.returncode == 2 for o in outputs[3:])
    for word in ("add", "remove", "status", "resume", "abort"):
        help_text = mlsd(word, "--help").stdout
        if "resume" in help_text:
            assert "abort" in help_text, word
    assert mlsd("abort", "--path", root).returncode == 0
    assert "nothing to abort" in mlsd("abort", "--path", root).stderr


def test_upgrade_refuses_a_project_recorded_by_a_newer_mlsd(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    answers = root / ANSWERS_FILE
    answers.write_text(answers.read_text().replace("mlsd_version: 0.1.0", "mlsd_version: 9.9.9"))
    before = snapshot(root)
    for args in (["upgrade"], ["add", "asynchronous"], ["remove", "web-single"]):
        out = mlsd(*args, "--path", root)
        assert out.returncode == 2, out.stderr
        assert "newer than this mlsd" in out.stderr and "mlsd>=9.9.9" in out.stderr
    assert snapshot(root) == before
    answers.write_text(answers.read_text().replace("9.9.9", "not-a-version"))
    out = mlsd("upgrade", "--path", root)
    assert out.returncode == 2 and "not a version" in out.stderr


def test_resume_with_open_conflicts_names_the_change(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    conflicting_readme(root)
    api.add_patterns(root, ["asynchronous"])
    with pytest.raises(ConflictError, match="conflicts of the add of asynchronous remain"):
        api.resume(root)


def test_a_damaged_journal_is_refused_clearly_and_the_backups_are_not_committed(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    conflicting_readme(root)
    api.add_patterns(root, ["asynchronous"])
    assert (root / operation.OPERATION_DIR / ".gitignore").read_text() == "*\n"
    (root / operation.JOURNAL_FILE).write_text("{not json")
    for args in (["status"], ["abort"], ["resume"], ["add", "model-load"]):
        out = mlsd(*args, "--path", root)
        assert out.returncode == 2 and "journal.json is damaged" in out.stderr, out.stderr
