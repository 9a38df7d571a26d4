"""Tests for mlsd.merge: the three-way merge planner, its output formats and atomic apply."""

from __future__ import annotations

import difflib
import json
import os
import random
import stat
from collections import Counter
from pathlib import Path

import pytest
from merge3 import Merge3

from mlsd import merge
from mlsd.merge import (
    BASE_MARKER,
    END_MARKER,
    MID_MARKER,
    START_MARKER,
    Action,
    MergePlan,
    PlanEntry,
    apply_plan,
    plan_merge,
    unified_diff,
)

BASE = b"one\ntwo\nthree\nfour\nfive\nsix\n"


def only(plan: MergePlan) -> PlanEntry:
    assert len(plan.entries) == 1, plan.entries
    return plan.entries[0]


def plan_one(
    base: bytes | None, theirs: bytes | None, ours: bytes | None, **kwargs: object
) -> PlanEntry:
    """Plan a single path "f", where None means the file is absent from that tree."""

    def tree(content: bytes | None) -> dict[str, bytes]:
        return {} if content is None else {"f": content}

    return only(plan_merge(tree(base), tree(theirs), tree(ours), **kwargs))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# One test per action
# --------------------------------------------------------------------------------------


def test_create_new_file() -> None:
    entry = plan_one(None, b"new\n", None)
    assert entry.action is Action.CREATE
    assert entry.result == b"new\n"
    assert not entry.delete


def test_unchanged_when_nobody_changed_it() -> None:
    entry = plan_one(BASE, BASE, BASE)
    assert entry.action is Action.UNCHANGED
    assert entry.result is None


def test_unchanged_when_user_already_has_mlsds_version() -> None:
    new = BASE.replace(b"two", b"TWO")
    entry = plan_one(BASE, new, new)
    assert entry.action is Action.UNCHANGED
    assert entry.result is None


def test_update_when_only_mlsd_changed_it() -> None:
    new = BASE.replace(b"two", b"TWO")
    entry = plan_one(BASE, new, BASE)
    assert entry.action is Action.UPDATE
    assert entry.result == new


def test_keep_when_only_user_changed_it() -> None:
    mine = BASE.replace(b"two", b"my two")
    entry = plan_one(BASE, BASE, mine)
    assert entry.action is Action.KEEP
    assert entry.result is None
    assert not entry.delete


def test_clean_merge_of_non_overlapping_edits() -> None:
    ours = b"# my header\n" + BASE  # the user edits the top
    theirs = BASE.replace(b"six\n", b"six\nseven\n")  # mlsd edits the bottom
    entry = plan_one(BASE, theirs, ours)
    assert entry.action is Action.MERGE
    assert entry.result == b"# my header\none\ntwo\nthree\nfour\nfive\nsix\nseven\n"
    assert entry.conflict_count == 0


def test_same_edit_on_both_sides_is_not_a_conflict() -> None:
    both = BASE.replace(b"three", b"THREE")
    ours = both.replace(b"one", b"uno")
    entry = plan_one(BASE, both, ours)
    assert entry.action is Action.MERGE
    # mlsd's only change is already in the user's file: nothing to write.
    assert entry.result is None
    assert "already" in entry.message


def test_overlapping_edits_conflict_with_diff3_markers() -> None:
    ours = BASE.replace(b"three", b"my three")
    theirs = BASE.replace(b"three", b"mlsd three")
    entry = plan_one(BASE, theirs, ours)
    assert entry.action is Action.CONFLICT
    assert entry.conflict_count == 1
    assert entry.result == (
        b"one\ntwo\n"
        b"<<<<<<< yours\n"
        b"my three\n"
        b"||||||| base\n"
        b"three\n"
        b"=======\n"
        b"mlsd three\n"
        b">>>>>>> mlsd\n"
        b"four\nfive\nsix\n"
    )
    assert "1 conflict" in entry.message


def test_conflict_markers_are_the_documented_constants() -> None:
    assert START_MARKER == b"<<<<<<< yours"
    assert BASE_MARKER == b"||||||| base"
    assert MID_MARKER == b"======="
    assert END_MARKER == b">>>>>>> mlsd"


def test_insertions_at_the_same_point_with_different_text_conflict() -> None:
    ours = BASE.replace(b"two\n", b"two\nmine\n")
    theirs = BASE.replace(b"two\n", b"two\ntheirs\n")
    entry = plan_one(BASE, theirs, ours)
    assert entry.action is Action.CONFLICT
    assert entry.result is not None
    assert b"<<<<<<< yours\nmine\n||||||| base\n=======\ntheirs\n>>>>>>> mlsd\n" in entry.result


def test_two_conflicts_are_counted() -> None:
    ours = BASE.replace(b"one", b"ONE-me").replace(b"six", b"SIX-me")
    theirs = BASE.replace(b"one", b"ONE-mlsd").replace(b"six", b"SIX-mlsd")
    entry = plan_one(BASE, theirs, ours)
    assert entry.conflict_count == 2
    assert entry.result is not None
    assert entry.result.count(START_MARKER) == 2
    assert "2 conflicts" in entry.message


def test_lines_both_sides_share_stay_outside_the_conflict_block() -> None:
    # Both append the same two lines, then something different (git's zdiff3 behaviour).
    ours = BASE + b"shared 1\nshared 2\nmine\n"
    theirs = BASE + b"shared 1\nshared 2\ntheirs\n"
    entry = plan_one(BASE, theirs, ours)
    assert entry.result == BASE + (
        b"shared 1\nshared 2\n<<<<<<< yours\nmine\n||||||| base\n=======\ntheirs\n>>>>>>> mlsd\n"
    )


def test_rej_style_merges_the_clean_hunks_and_rejects_only_the_clash() -> None:
    ours = BASE.replace(b"three", b"my three")
    theirs = BASE.replace(b"three", b"mlsd three").replace(b"six\n", b"six\nseven\n")
    plan = plan_merge({"f": BASE}, {"f": theirs}, {"f": ours}, conflict_style="rej")
    entry = only(plan)
    assert entry.action is Action.CONFLICT
    assert entry.result == ours.replace(b"six\n", b"six\nseven\n")  # the clean hunk, no markers
    assert entry.sidecar_path == "f.rej"
    assert entry.sidecar == (
        b"--- a/f\n+++ b/f\n@@ -3 +3 @@ conflicts with your edit\n-three\n+mlsd three\n"
    )
    assert "f.rej" in entry.message and "resolve the <<<<<<<" not in entry.message
    assert plan.writes == {"f": entry.result, "f.rej": entry.sidecar}
    assert plan.conflicts == ["f"]


def test_rej_style_with_only_a_clash_leaves_the_users_file_alone() -> None:
    entry = plan_one(
        BASE,
        BASE.replace(b"two", b"mlsd two"),
        BASE.replace(b"two", b"my two"),
        conflict_style="rej",
    )
    assert entry.result is None and entry.sidecar is not None


def test_rej_hunks_apply_with_difflib_line_numbers() -> None:
    """The .rej hunk ranges follow unified-diff conventions (checked against difflib)."""
    theirs = BASE.replace(b"two\nthree\n", b"2\n3\n")
    ours = BASE.replace(b"two\n", b"zwei\n")
    entry = plan_one(BASE, theirs, ours, conflict_style="rej")  # one hunk, and it clashes
    expected = "".join(
        difflib.unified_diff(
            BASE.decode().splitlines(True), theirs.decode().splitlines(True), "a/f", "b/f", n=0
        )
    )
    assert entry.sidecar is not None
    assert entry.sidecar.decode().replace(" conflicts with your edit", "") == expected


def test_user_deleted_stays_deleted() -> None:
    entry = plan_one(BASE, BASE, None)
    assert entry.action is Action.USER_DELETED
    assert entry.result is None
    assert not entry.delete
    assert "mlsd has changed it" not in entry.message


def test_user_deleted_stays_deleted_even_if_mlsd_changed_it() -> None:
    entry = plan_one(BASE, BASE + b"more\n", None)
    assert entry.action is Action.USER_DELETED
    assert entry.result is None
    assert "mlsd has changed it" in entry.message


def test_obsolete_unmodified_is_deleted() -> None:
    entry = plan_one(BASE, None, BASE)
    assert entry.action is Action.OBSOLETE
    assert entry.delete
    assert entry.result is None


def test_obsolete_modified_is_kept() -> None:
    entry = plan_one(BASE, None, BASE + b"mine\n")
    assert entry.action is Action.OBSOLETE
    assert not entry.delete
    assert "kept: you changed it" in entry.message


def test_obsolete_already_gone() -> None:
    entry = plan_one(BASE, None, None)
    assert entry.action is Action.OBSOLETE
    assert not entry.delete
    assert entry.result is None


def test_user_created_file_at_new_path_identical() -> None:
    entry = plan_one(None, BASE, BASE)
    assert entry.action is Action.UNCHANGED


def test_user_created_file_at_new_path_different_is_a_two_way_conflict() -> None:
    entry = plan_one(None, b"a\nmlsd\nz\n", b"a\nmine\nz\n")
    assert entry.action is Action.CONFLICT
    # No base section: there is no base. Shared first/last lines stay outside the block.
    assert entry.result == b"a\n<<<<<<< yours\nmine\n=======\nmlsd\n>>>>>>> mlsd\nz\n"


def test_user_created_file_rej_style_offers_mlsds_whole_file() -> None:
    entry = plan_one(None, b"mlsd\n", b"mine\n", conflict_style="rej")
    assert entry.action is Action.CONFLICT
    assert entry.result is None
    assert entry.sidecar == b"--- a/f\n+++ b/f\n@@ -0,0 +1 @@ conflicts with your edit\n+mlsd\n"


# --------------------------------------------------------------------------------------
# Binary, line endings, final newline
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("blob", [b"\x89PNG\x00\x01", b"caf\xe9\n"], ids=["nul", "latin1"])
def test_binary_changed_on_both_sides_keeps_ours_and_writes_mlsd_new(blob: bytes) -> None:
    base, ours, theirs = blob, blob + b"mine", blob + b"mlsd"
    plan = plan_merge({"img": base}, {"img": theirs}, {"img": ours})
    entry = only(plan)
    assert entry.action is Action.CONFLICT
    assert entry.result is None
    assert entry.sidecar_path == "img.mlsd-new"
    assert plan.writes == {"img.mlsd-new": theirs}


def test_binary_changed_only_by_mlsd_is_updated() -> None:
    entry = plan_one(b"\x00old", b"\x00new", b"\x00old")
    assert entry.action is Action.UPDATE
    assert entry.result == b"\x00new"


def test_binary_user_file_at_new_path_is_not_line_merged() -> None:
    entry = plan_one(None, b"text\n", b"\x00\x01")
    assert entry.action is Action.CONFLICT
    assert entry.result is None
    assert entry.sidecar == b"text\n"


def test_crlf_file_merges_cleanly_and_keeps_crlf() -> None:
    base = BASE.replace(b"\n", b"\r\n")
    ours = base.replace(b"one", b"uno")
    theirs = base.replace(b"six", b"seis")
    entry = plan_one(base, theirs, ours)
    assert entry.action is Action.MERGE
    assert entry.result == b"uno\r\ntwo\r\nthree\r\nfour\r\nfive\r\nseis\r\n"


def test_crlf_conflict_markers_use_crlf() -> None:
    base = BASE.replace(b"\n", b"\r\n")
    entry = plan_one(base, base.replace(b"two", b"B"), base.replace(b"two", b"A"))
    assert entry.result is not None
    assert b"\r\n<<<<<<< yours\r\nA\r\n||||||| base\r\ntwo\r\n=======\r\nB\r\n>>>>>>> mlsd\r\n" in (
        entry.result
    )
    assert b"\n" not in entry.result.replace(b"\r\n", b"")


def test_missing_final_newline_is_preserved() -> None:
    base = b"one\ntwo\nthree\nlast"
    ours = b"ONE\ntwo\nthree\nlast"
    theirs = b"one\ntwo\nTHREE\nlast"
    entry = plan_one(base, theirs, ours)
    assert entry.action is Action.MERGE
    assert entry.result == b"ONE\ntwo\nTHREE\nlast"
    # ... and a side that drops the final newline wins over one that leaves it alone.
    entry = plan_one(base, b"one\ntwo\nthree\nlast\n", ours)
    assert entry.result == b"ONE\ntwo\nthree\nlast\n"


def test_missing_final_newline_in_conflict_does_not_glue_markers() -> None:
    base = b"one\nlast"
    entry = plan_one(base, b"one\nmlsd last", b"one\nmy last")
    assert entry.result == (
        b"one\n<<<<<<< yours\nmy last\n||||||| base\nlast\n=======\nmlsd last\n>>>>>>> mlsd\n"
    )


# --------------------------------------------------------------------------------------
# The plan as a whole
# --------------------------------------------------------------------------------------


def sample_trees() -> tuple[dict[str, bytes], dict[str, bytes], dict[str, bytes]]:
    base = {
        "same.txt": b"s\n",
        "upd.txt": b"u\n",
        "kept.txt": b"k\n",
        "gone.txt": b"g\n",
        "old/obsolete.txt": b"o\n",
        "conf.txt": b"c\n",
    }
    theirs = {
        "same.txt": b"s\n",
        "upd.txt": b"U\n",
        "kept.txt": b"k\n",
        "gone.txt": b"g\n",
        "conf.txt": b"C-mlsd\n",
        "new/created.txt": b"n\n",
    }
    ours = {
        "same.txt": b"s\n",
        "upd.txt": b"u\n",
        "kept.txt": b"K\n",
        "old/obsolete.txt": b"o\n",
        "conf.txt": b"C-mine\n",
        "mine.txt": b"user only\n",
    }
    return base, theirs, ours


def test_plan_entries_sorted_and_user_only_files_ignored() -> None:
    plan = plan_merge(*sample_trees())
    paths = [e.path for e in plan.entries]
    assert paths == sorted(paths)
    assert "mine.txt" not in paths
    assert {e.path: e.action for e in plan.entries} == {
        "conf.txt": Action.CONFLICT,
        "gone.txt": Action.USER_DELETED,
        "kept.txt": Action.KEEP,
        "new/created.txt": Action.CREATE,
        "old/obsolete.txt": Action.OBSOLETE,
        "same.txt": Action.UNCHANGED,
        "upd.txt": Action.UPDATE,
    }


def test_plan_views() -> None:
    plan = plan_merge(*sample_trees())
    assert set(plan.writes) == {"conf.txt", "new/created.txt", "upd.txt"}
    assert plan.deletes == ["old/obsolete.txt"]
    assert plan.conflicts == ["conf.txt"]
    assert plan.has_conflicts
    assert plan.counts() == {
        Action.UNCHANGED: 1,
        Action.CREATE: 1,
        Action.UPDATE: 1,
        Action.KEEP: 1,
        Action.CONFLICT: 1,
        Action.USER_DELETED: 1,
        Action.OBSOLETE: 1,
    }
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["counts"]["user-deleted"] == 1
    assert data["has_conflicts"] is True
    assert data["entries"][0] == {
        "path": "conf.txt",
        "action": "conflict",
        "write": True,
        "delete": False,
        "message": "1 conflict: resolve the <<<<<<< markers",
        "conflict_count": 1,
        "sidecar": None,
    }


def test_counts_follow_action_order_and_skip_absent_actions() -> None:
    plan = plan_merge(*sample_trees())
    assert list(plan.counts()) == [a for a in Action if a is not Action.MERGE]
    assert not plan_merge({}, {}, {}).has_conflicts
    assert plan_merge({}, {}, {}).counts() == {}


def test_plan_is_deterministic_and_independent_of_dict_order() -> None:
    base, theirs, ours = sample_trees()
    first = plan_merge(base, theirs, ours)
    again = plan_merge(
        dict(reversed(base.items())), dict(reversed(theirs.items())), dict(reversed(ours.items()))
    )
    assert first == again
    assert first.writes == again.writes


def test_sidecar_colliding_with_a_rendered_path_is_refused() -> None:
    base = {"f": b"a\n", "f.rej": b"x\n"}
    theirs = {"f": b"mlsd\n", "f.rej": b"x\n"}
    with pytest.raises(ValueError, match=r"f\.rej"):
        plan_merge(base, theirs, {"f": b"mine\n", "f.rej": b"x\n"}, conflict_style="rej")


def test_unknown_conflict_style_is_refused() -> None:
    with pytest.raises(ValueError, match="conflict_style"):
        plan_merge({}, {}, {}, conflict_style="weird")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Fuzz: no user line is ever lost
# --------------------------------------------------------------------------------------

WORDS = [b"alpha", b"beta", b"gamma", b"delta", b"", b"}"]


def random_lines(rng: random.Random, n: int) -> list[bytes]:
    return [rng.choice(WORDS) + b"\n" for _ in range(n)]


def random_edit(rng: random.Random, lines: list[bytes], tag: str) -> list[bytes]:
    """Apply a few random replace/insert/delete edits; new lines are tagged or common words."""
    out = [line if line.endswith(b"\n") else line + b"\n" for line in lines]
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(["replace", "insert", "delete"])
        i = rng.randint(0, len(out))
        new = [
            (f"{tag}{rng.randint(0, 9)}".encode() if rng.random() < 0.7 else rng.choice(WORDS))
            + b"\n"
            for _ in range(rng.randint(1, 3))
        ]
        if op == "insert" or not out:
            out[i:i] = new
        elif op == "replace":
            out[i : i + rng.randint(1, 2)] = new
        else:
            del out[i : i + rng.randint(1, 2)]
    if out and rng.random() < 0.15:
        out[-1] = out[-1].rstrip(b"\n")  # sometimes no final newline
    return out


def added_lines(base: list[bytes], side: list[bytes]) -> list[bytes]:
    """Lines of ``side`` that the diff against ``base`` does not match: added or changed."""
    matched: set[int] = set()
    for block in difflib.SequenceMatcher(None, base, side).get_matching_blocks():
        matched.update(range(block.b, block.b + block.size))
    return [line for i, line in enumerate(side) if i not in matched]


def stripped(lines: list[bytes]) -> Counter[bytes]:
    # A conflict block may terminate a side's newline-less last line, so compare bare text.
    return Counter(line.rstrip(b"\r\n") for line in lines)


@pytest.mark.parametrize("seed", range(4))
def test_fuzz_no_user_line_lost(seed: int) -> None:
    rng = random.Random(seed)
    conflicts_seen = clean_seen = 0
    for _ in range(50):
        base = random_lines(rng, rng.randint(0, 12))
        ours = random_edit(rng, base, "user")
        theirs = random_edit(rng, base, "mlsd") if rng.random() < 0.8 else list(ours)
        if rng.random() < 0.2:
            theirs = random_edit(rng, ours, "mlsd")  # mlsd repeats some of the user's edits
        eol = b"\r\n" if rng.random() < 0.25 else b"\n"
        # Compare against the lines the files really have (an edit may leave an empty line).
        base, theirs, ours = (
            b"".join(x).replace(b"\n", eol).splitlines(keepends=True) for x in (base, theirs, ours)
        )
        trees = [{"f": b"".join(lines)} for lines in (base, theirs, ours)]
        entry = only(plan_merge(*trees))
        result = trees[2]["f"] if entry.result is None else entry.result
        result_lines = result.splitlines(keepends=True)

        assert stripped(added_lines(base, ours)) <= stripped(result_lines)
        if entry.action in (Action.MERGE, Action.CONFLICT, Action.UPDATE, Action.CREATE):
            assert stripped(added_lines(base, theirs)) <= stripped(result_lines)
        assert only(plan_merge(*trees)) == entry  # deterministic
        rej = only(plan_merge(*trees, conflict_style="rej"))
        if entry.action is Action.CONFLICT:
            kept = trees[2]["f"] if rej.result is None else rej.result
            assert MID_MARKER not in kept  # clean hunks merged, the clashes keep the user's lines
            assert stripped(added_lines(base, ours)) <= stripped(kept.splitlines(keepends=True))
            assert rej.sidecar is not None
            assert rej.sidecar.count(b"conflicts with your edit") == entry.conflict_count
        else:
            assert rej == entry

        m3 = Merge3(base, ours, theirs)
        expected_conflicts = sum(1 for r in m3.merge_regions() if r[0] == "conflict")
        if entry.action is Action.CONFLICT:
            conflicts_seen += 1
            assert entry.conflict_count == expected_conflicts
            assert result.count(START_MARKER) == entry.conflict_count
            assert result.count(END_MARKER) == entry.conflict_count
        else:
            assert START_MARKER not in result
            if entry.action is Action.MERGE:
                clean_seen += 1
                assert expected_conflicts == 0
                assert result == b"".join(m3.merge_lines())
    assert conflicts_seen and clean_seen  # the generator exercises both outcomes


# --------------------------------------------------------------------------------------
# unified_diff
# --------------------------------------------------------------------------------------


def test_unified_diff_text() -> None:
    out = unified_diff("f", b"a\nb\n", b"a\nc\n")
    assert out == "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"


def test_unified_diff_new_deleted_equal() -> None:
    assert unified_diff("f", None, b"x\n") == "--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n"
    assert unified_diff("f", b"x\n", None) == "--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    assert unified_diff("f", b"x\n", b"x\n") == ""


def test_unified_diff_no_newline_and_binary() -> None:
    assert unified_diff("f", b"a\n", b"a") == (
        "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"
    )
    assert unified_diff("img", b"\x00a", b"\x00b") == "Binary files a/img and b/img differ\n"


def test_unified_diff_keeps_form_feed_inside_a_line() -> None:
    out = unified_diff("f", b"a\x0cb\n", b"a\x0cc\n")
    assert "-a\x0cb\n+a\x0cc\n" in out


# --------------------------------------------------------------------------------------
# apply_plan
# --------------------------------------------------------------------------------------


def write_tree(root: Path, tree: dict[str, bytes]) -> None:
    for path, content in tree.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def snapshot(root: Path) -> dict[str, tuple[str, bytes | None, int]]:
    """Everything under root: kind, content and permission bits of every file and dir."""
    out: dict[str, tuple[str, bytes | None, int]] = {}
    for path in sorted(root.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = ("link", os.readlink(path).encode(), mode)
        elif path.is_dir():
            out[rel] = ("dir", None, mode)
        else:
            out[rel] = ("file", path.read_bytes(), mode)
    return out


def project(root: Path) -> MergePlan:
    """A project on disk plus the plan to merge the new render into it."""
    base, theirs, ours = sample_trees()
    base["run.sh"] = ours["run.sh"] = b"#!/bin/sh\necho old\n"
    theirs["run.sh"] = b"#!/bin/sh\necho new\n"
    write_tree(root, ours)
    (root / "run.sh").chmod(0o755)
    return plan_merge(base, theirs, ours)


def test_apply_plan_writes_deletes_and_cleans_up(tmp_path: Path) -> None:
    plan = project(tmp_path)
    apply_plan(tmp_path, plan)
    assert (tmp_path / "upd.txt").read_bytes() == b"U\n"
    assert (tmp_path / "new/created.txt").read_bytes() == b"n\n"
    assert (tmp_path / "conf.txt").read_bytes().startswith(b"<<<<<<< yours\nC-mine\n")
    assert (tmp_path / "mine.txt").read_bytes() == b"user only\n"
    assert (tmp_path / "kept.txt").read_bytes() == b"K\n"
    assert not (tmp_path / "gone.txt").exists()
    assert not (tmp_path / "old").exists()  # emptied by the delete, so pruned
    assert (tmp_path / "run.sh").read_bytes() == b"#!/bin/sh\necho new\n"
    assert stat.S_IMODE((tmp_path / "run.sh").stat().st_mode) == 0o755  # mode kept
    assert not (tmp_path / ".mlsd").exists()  # staging dir gone, state dir was not there


def test_apply_plan_writes_sidecars(tmp_path: Path) -> None:
    write_tree(tmp_path, {"f": b"mine\n"})
    plan = plan_merge({"f": b"base\n"}, {"f": b"mlsd\n"}, {"f": b"mine\n"}, conflict_style="rej")
    apply_plan(tmp_path, plan)
    assert (tmp_path / "f").read_bytes() == b"mine\n"
    assert (tmp_path / "f.rej").read_bytes().startswith(b"--- a/f\n")


def test_apply_plan_keeps_an_existing_state_dir(tmp_path: Path) -> None:
    plan = project(tmp_path)
    (tmp_path / ".mlsd").mkdir()
    (tmp_path / ".mlsd" / "state.json").write_text("{}")
    apply_plan(tmp_path, plan)
    assert sorted(p.name for p in (tmp_path / ".mlsd").iterdir()) == ["state.json"]


def test_apply_plan_failure_at_every_step_leaves_tree_identical(tmp_path: Path) -> None:
    """Fail after 0, 1, 2, ... changes until apply succeeds; each failure must roll back."""
    steps = 0
    while True:
        root = tmp_path / f"run{steps}"
        root.mkdir()
        plan = project(root)
        before = snapshot(root)
        try:
            apply_plan(root, plan, _fail_after=steps)
        except merge.apply._InjectedFailure:
            assert snapshot(root) == before, f"not rolled back after {steps} change(s)"
            steps += 1
            continue
        break
    assert steps >= 6  # deletes, rmdir, mkdir and writes were all interrupted at some point


def test_apply_plan_rolls_back_when_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = project(tmp_path)
    before = snapshot(tmp_path)
    calls = 0
    real_replace = merge.apply._replace

    def flaky(src: Path, dst: Path) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(merge.apply, "_replace", flaky)
    with pytest.raises(OSError, match="disk full"):
        apply_plan(tmp_path, plan)
    assert snapshot(tmp_path) == before


def test_apply_plan_rolls_back_on_a_real_filesystem_error(tmp_path: Path) -> None:
    # mlsd now renders "blocked/x", but the user has a *file* called "blocked".
    write_tree(tmp_path, {"a.txt": b"a\n", "blocked": b"user file\n"})
    plan = plan_merge({"a.txt": b"a\n"}, {"a.txt": b"A\n", "blocked/x": b"x\n"}, {"a.txt": b"a\n"})
    before = snapshot(tmp_path)
    with pytest.raises(OSError):
        apply_plan(tmp_path, plan)
    assert snapshot(tmp_path) == before


def test_apply_plan_refuses_paths_outside_root(tmp_path: Path) -> None:
    plan = MergePlan([PlanEntry("../evil", Action.CREATE, result=b"x")])
    with pytest.raises(ValueError, match="unsafe path"):
        apply_plan(tmp_path / "proj", plan)
    assert not (tmp_path / "evil").exists()


def test_apply_empty_plan_touches_nothing(tmp_path: Path) -> None:
    apply_plan(tmp_path, plan_merge({"f": b"x"}, {"f": b"x"}, {"f": b"x"}))
    assert list(tmp_path.iterdir()) == []


def test_apply_plan_with_a_stale_delete_rolls_back(tmp_path: Path) -> None:
    plan = project(tmp_path)
    (tmp_path / "old" / "obsolete.txt").unlink()  # gone between planning and applying
    before = snapshot(tmp_path)
    with pytest.raises(FileNotFoundError, match="stale plan"):
        apply_plan(tmp_path, plan)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("path", ["/abs", "a/../b", "./a", "a//b", "a\\b", ""])
def test_apply_plan_refuses_odd_paths(tmp_path: Path, path: str) -> None:
    plan = MergePlan([PlanEntry(path, Action.CREATE, result=b"x")])
    with pytest.raises(ValueError):
        apply_plan(tmp_path, plan)
    assert list(tmp_path.iterdir()) == []
