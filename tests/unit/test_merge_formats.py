"""Merges where a plain line merge lies: line endings, lists, requirement sets, parse checks.

Unit cases on `plan_merge`, then the issue's walk on real projects: a CRLF README, a pinned
dependency that a pattern asks for again, two additions to the same list.
"""

from __future__ import annotations

import tomllib

import yaml
from test_add import new

from mlsd import api
from mlsd.merge import Action, plan_merge
from mlsd.merge.structured import requirements


def one(path: str, base: bytes | None, theirs: bytes, ours: bytes, **kw: str):
    [entry] = plan_merge(
        {path: base} if base is not None else {}, {path: theirs}, {path: ours}, **kw
    ).entries
    return entry


# --- line endings -------------------------------------------------------------------------


def test_a_crlf_copy_of_an_lf_file_merges_as_if_it_were_lf_and_stays_crlf():
    base = b"a\nb\nc\nd\n"
    theirs = b"a\nb\nc\nd\nmlsd\n"
    ours = b"mine\r\na\r\nb\r\nc\r\nd\r\n"
    entry = one("README.md", base, theirs, ours)
    assert entry.action is Action.MERGE
    assert entry.result == b"mine\r\na\r\nb\r\nc\r\nd\r\nmlsd\r\n"


def test_only_the_line_endings_changed_counts_as_unchanged():
    base = b"a\nb\n"
    assert one("f", base, base, base.replace(b"\n", b"\r\n")).action is Action.UNCHANGED
    update = one("f", base, b"a\nb\nc\n", base.replace(b"\n", b"\r\n"))
    assert update.action is Action.UPDATE and update.result == b"a\r\nb\r\nc\r\n"
    gone = plan_merge({"f": base}, {}, {"f": base.replace(b"\n", b"\r\n")}).entries[0]
    assert gone.delete


def test_a_crlf_conflict_has_crlf_markers_and_no_lf():
    entry = one("f", b"a\nb\n", b"a\nmlsd\n", b"a\r\nmine\r\n")
    assert entry.action is Action.CONFLICT and entry.conflict_count == 1
    assert entry.result is not None and b"\n" not in entry.result.replace(b"\r\n", b"")


def test_crlf_readme_of_a_real_project_merges_cleanly_and_keeps_crlf(tmp_path):
    root = new(tmp_path / "demo", "web-single")
    readme = root / "README.md"
    readme.write_bytes(b"Our intro.\r\n" + readme.read_bytes().replace(b"\n", b"\r\n"))
    result = api.add_patterns(root, ["asynchronous"])
    assert not result.plan.has_conflicts
    data = readme.read_bytes()
    assert data.startswith(b"Our intro.\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert b"asynchronous" in data.lower()


# --- lists --------------------------------------------------------------------------------

KUSTOMIZATION = b"kind: Kustomization\nresources:\n  - serving.yaml\n  - gateway.yaml\n"


def test_two_additions_to_a_yaml_list_are_both_kept():
    ours = KUSTOMIZATION + b"  - my-job.yaml\n"
    theirs = KUSTOMIZATION + b"  - drift-monitor.yaml\n"
    entry = one("deploy/kustomization.yaml", KUSTOMIZATION, theirs, ours)
    assert entry.action is Action.MERGE and "item by item" in entry.message
    assert yaml.safe_load(entry.result)["resources"] == [
        "serving.yaml",
        "gateway.yaml",
        "my-job.yaml",
        "drift-monitor.yaml",
    ]


def test_a_yaml_list_item_removed_by_one_side_and_added_by_the_other():
    ours = KUSTOMIZATION.replace(b"  - gateway.yaml\n", b"  - mine.yaml\n")
    theirs = KUSTOMIZATION.replace(b"  - gateway.yaml\n", b"  - gateway.yaml\n  - log.yaml\n")
    entry = one("k.yaml", KUSTOMIZATION, theirs, ours)
    assert yaml.safe_load(entry.result)["resources"] == ["serving.yaml", "mine.yaml", "log.yaml"]


COMPOSE = b"services:\n  serving:\n    image: s\n"


def test_two_compose_services_added_at_the_same_place_are_both_kept():
    ours = COMPOSE + b"  mine:\n    image: m\n"
    theirs = COMPOSE + b"  redis:\n    image: redis\n"
    entry = one("compose.yaml", COMPOSE, theirs, ours)
    assert entry.action is Action.MERGE
    assert list(yaml.safe_load(entry.result)["services"]) == ["serving", "mine", "redis"]


def test_the_same_service_added_twice_differently_is_a_conflict_not_a_duplicate_key():
    ours = COMPOSE + b"  redis:\n    image: redis:7\n"
    theirs = COMPOSE + b"  redis:\n    image: redis:8\n"
    entry = one("compose.yaml", COMPOSE, theirs, ours)
    assert entry.action is Action.CONFLICT


def test_a_clean_line_merge_that_does_not_parse_is_a_conflict():
    base = b"a: 1\nb: 2\nc: 3\n"
    ours = b"x: 0\na: 1\nb: 2\nc: 3\n"
    theirs = b"a: 1\nb: 2\nc: 3\nx: 9\n"  # a clean line merge gives the key x twice
    entry = one("settings.yaml", base, theirs, ours)
    assert entry.action is Action.CONFLICT and entry.sidecar_path == "settings.yaml.mlsd-new"
    assert entry.result is None and "would not parse" in entry.message


def test_a_file_that_was_broken_already_is_merged_as_text():
    base = b"a: [1\nb: 2\n"
    entry = one("broken.yaml", base, base + b"c: 3\n", b"mine: 0\n" + base)
    assert entry.action is Action.MERGE


# --- requirement sets ---------------------------------------------------------------------

PYPROJECT = b"""[project]
name = "demo"
dependencies = [
    "pydantic==2.13.4",
]

[project.optional-dependencies]
serving = [
    "fastapi==0.165.0",
]
"""


def test_two_dependencies_appended_to_one_list_are_both_kept():
    ours = PYPROJECT.replace(b'"pydantic==2.13.4",\n', b'"pydantic==2.13.4",\n    "rich>=13",\n')
    theirs = PYPROJECT.replace(
        b'"pydantic==2.13.4",\n', b'"pydantic==2.13.4",\n    "tenacity==9.2.1",\n'
    )
    entry = one("pyproject.toml", PYPROJECT, theirs, ours)
    assert entry.action is Action.MERGE
    deps = tomllib.loads(entry.result.decode())["project"]["dependencies"]
    assert deps == ["pydantic==2.13.4", "rich>=13", "tenacity==9.2.1"]


def test_a_pin_the_user_set_wins_where_mlsd_adds_the_package_again_and_the_plan_says_so():
    ours = PYPROJECT.replace(
        b'"pydantic==2.13.4",\n', b'"pydantic==2.13.4",\n    "tenacity==9.1.2",  # ours\n'
    )
    theirs = PYPROJECT.replace(
        b'"fastapi==0.165.0",\n', b'"fastapi==0.165.0",\n    "tenacity==9.2.1",\n'
    )
    entry = one("pyproject.toml", PYPROJECT, theirs, ours)
    assert entry.action is Action.MERGE
    assert "kept your tenacity==9.1.2" in entry.message and "extra serving" in entry.message
    found = {text for _, text in requirements(entry.result) if text.startswith("tenacity")}
    assert found == {"tenacity==9.1.2"}
    assert b'"tenacity==9.1.2",  # ours\n' in entry.result  # the user's line as written


def test_mlsd_updating_a_requirement_the_user_changed_keeps_the_users():
    ours = PYPROJECT.replace(b"pydantic==2.13.4", b"pydantic==2.12.0")
    theirs = PYPROJECT.replace(b"pydantic==2.13.4", b"pydantic==2.14.0")
    entry = one("pyproject.toml", PYPROJECT, theirs, ours)
    assert entry.action is Action.MERGE and entry.result is None  # the user's file as it is


def test_the_issue_walk_pinned_dependency_then_add_prediction_log(tmp_path):
    root = new(tmp_path / "demo", "synchronous", "model-load")
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    pinned = text.replace("dependencies = [\n", 'dependencies = [\n    "tenacity==9.1.2",\n', 1)
    pyproject.write_text(pinned)
    result = api.add_patterns(root, ["prediction-log"])
    entry = next(e for e in result.plan.entries if e.path == "pyproject.toml")
    specs = {t for _, t in requirements(pyproject.read_bytes()) if t.startswith("tenacity")}
    assert specs == {"tenacity==9.1.2"}, (entry.message, specs)
    if "tenacity" in (result.theirs["pyproject.toml"]).decode():
        assert "kept your tenacity==9.1.2" in entry.message
