"""`mlsd remove` and switching an axis (`mlsd add NEW --replace OLD`) on real projects.

Property: on a pristine project `remove B` gives new(A)'s bytes back, for every pair the
resolver allows (tested with the new + add property in test_add.py, on the same renders); add
then remove on an edited project leaves the user's edits and nothing of the pattern. A
switch on a pristine project equals `new` of the new set.
"""

from __future__ import annotations

import pytest
from test_add import new, snapshot

from mlsd import api
from mlsd.catalog import load_catalog
from mlsd.errors import ResolutionError, UsageError
from mlsd.state import read_answers

CATALOG = load_catalog()


def edit_like_a_user(root):
    readme = root / "README.md"
    readme.write_text("Our team's intro.\n\n" + readme.read_text() + "\nRunbook: wiki/ml.\n")
    app = root / "src/demo/serving/app.py"
    app.write_text(app.read_text() + "\n# tuned by the ranking team\n")
    (root / "src/demo/extra.py").write_text("VALUE = 1\n")
    (root / "CODEOWNERS").unlink()


def test_add_then_remove_on_an_edited_project_gives_the_edited_project_back(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    edit_like_a_user(root)
    before = snapshot(root)
    added = api.add_patterns(root, ["asynchronous"])
    assert not added.plan.has_conflicts and (root / "src/demo/routes/jobs.py").is_file()
    removed = api.remove_patterns(root, ["asynchronous"])
    assert not removed.plan.has_conflicts
    assert any(note.startswith("removes asynchronous") for note in removed.notes)
    assert snapshot(root) == before
    assert "asynchronous" not in read_answers(root).patterns


def test_remove_keeps_and_reports_the_files_of_the_pattern_the_user_changed(tmp_path):
    root = new(tmp_path / "demo", "web-single", "asynchronous")
    jobs = root / "src/demo/routes/jobs.py"
    jobs.write_text(jobs.read_text() + "# mine\n")
    result = api.remove_patterns(root, ["asynchronous"])
    entry = next(e for e in result.plan.entries if e.path == "src/demo/routes/jobs.py")
    assert entry.action.value == "obsolete" and "kept: you changed it" in entry.message
    assert jobs.read_text().endswith("# mine\n")
    gone = [e.path for e in result.plan.entries if e.delete]
    assert gone and not any((root / p).exists() for p in gone)


def test_removing_a_pattern_another_needs_is_refused_with_the_reason(tmp_path):
    root = new(tmp_path / "demo", "synchronous")
    before = snapshot(root)
    with pytest.raises(ResolutionError, match="cannot remove model-in-image: it is default"):
        api.remove_patterns(root, ["model-in-image"])
    with pytest.raises(UsageError, match="not part of this project"):
        api.remove_patterns(root, ["prediction-cache"])
    with pytest.raises(UsageError, match="at least one pattern"):
        api.remove_patterns(root, ["synchronous"])
    assert snapshot(root) == before


def test_required_pattern_names_what_needs_it(tmp_path):
    needs = next(
        (e.id, r) for e in CATALOG.patterns if e.available for r in e.requires if r != e.id
    )
    root = new(tmp_path / "demo", *needs)
    with pytest.raises(ResolutionError, match=f"required by {needs[0]}"):
        api.remove_patterns(root, [needs[1]])


def axis_switches() -> list[tuple[str, str]]:
    """(old, new) for every two available members of a single-choice axis."""
    out = []
    for axis_id, axis in CATALOG.axes.items():
        members = [p for p in CATALOG.axis_members(axis_id) if CATALOG.entries[p].available]
        if axis.max == 1:
            out += [(old, new) for old in members for new in members if old != new]
    return out


@pytest.mark.parametrize(
    ("old", "new_id"), axis_switches(), ids=[f"{o}->{n}" for o, n in axis_switches()]
)
def test_switch_on_a_pristine_project_equals_new_of_the_new_set(tmp_path, old, new_id):
    try:
        api.resolve_selection([new_id], use_defaults=True)
    except ResolutionError:
        pytest.skip(f"{new_id} cannot stand alone")
    root = new(tmp_path / "one" / "demo", old)
    result = api.add_patterns(root, [new_id], replace=[old])
    assert not result.plan.has_conflicts
    assert snapshot(root) == snapshot(new(tmp_path / "two" / "demo", new_id))


def test_web_single_reaches_gateway_add_ons_by_a_switch_keeping_user_code(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    with pytest.raises(ResolutionError) as refused:
        api.add_patterns(root, ["prediction-cache"])
    advice = "mlsd add prediction-cache synchronous --replace web-single"
    assert advice in (refused.value.hint or "")
    with pytest.raises(ResolutionError) as clash:
        api.add_patterns(root, ["synchronous"])
    assert "mlsd add synchronous --replace web-single" in (clash.value.hint or "")
    readme = root / "README.md"
    readme.write_text(readme.read_text() + "\nOur runbook.\n")
    (root / "src/demo/extra.py").write_text("VALUE = 1\n")
    result = api.add_patterns(root, ["prediction-cache", "synchronous"], replace=["web-single"])
    assert not result.plan.has_conflicts
    assert read_answers(root).patterns == ("synchronous", "prediction-cache", "model-in-image")
    assert readme.read_text().endswith("\nOur runbook.\n")
    assert (root / "src/demo/extra.py").read_text() == "VALUE = 1\n"


def test_replace_refusals(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    with pytest.raises(UsageError, match="cannot replace synchronous: not part"):
        api.add_patterns(root, ["asynchronous"], replace=["synchronous"])
    with pytest.raises(ResolutionError, match="cannot replace model-in-image"):
        api.add_patterns(root, ["asynchronous"], replace=["model-in-image"])
