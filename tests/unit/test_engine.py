"""The engine on small template trees built inline, and `new_project` on the real catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd import api, merge, paths, render
from mlsd.catalog import load_catalog
from mlsd.contributions import merge_contributions
from mlsd.errors import InternalError, TargetError, UsageError
from mlsd.render import Project, render_tree
from mlsd.resolver import resolve
from mlsd.state import BASE_FILE, read_answers, read_base


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def tiny_templates(root: Path, extra: dict[str, str] | None = None) -> Path:
    """Two patterns on one axis plus an add-on, with a shared file built from contributions."""
    write(
        root,
        {
            "catalog.yaml": (
                "categories: {serving: Serving, antipattern: Anti}\n"
                "axes: {topo: {title: topology, max: 1, default: one}}\n"
                "patterns: [one, two, addon]\nantipatterns: []\npresets: {}\n"
            ),
            "versions.yaml": "python: '3.11'\n",
            "base/component.yaml": "contributes:\n  deps: [base-dep]\n",
            "base/files/README.md.j2": "{{ project.name }}: {{ c.deps | join(',') }}\n",
            "base/files/src/__package__/__init__.py": "",
            "base/files/maybe.txt.j2": "{% if has('addon') %}addon here{% endif %}",
            "patterns/one/pattern.yaml": (
                "id: one\ncategory: serving\ntitle: One\nsummary: s\nwhen: w\nadds: [x]\n"
                "axis: topo\nstatus: available\ncontributes:\n  deps: ['{{ package }}-one']\n"
            ),
            "patterns/one/files/one.py.j2": "NAME = '{{ package }}'\n",
            "patterns/two/pattern.yaml": (
                "id: two\ncategory: serving\ntitle: Two\nsummary: s\nwhen: w\nadds: [x]\n"
                "axis: topo\nstatus: available\n"
            ),
            "patterns/addon/pattern.yaml": (
                "id: addon\ncategory: serving\ntitle: Addon\nsummary: s\nwhen: w\nadds: [x]\n"
                "status: available\nrequires_axes: [topo]\ncontributes:\n  deps: [addon-dep]\n"
            ),
            "patterns/addon/files/addon.txt": "raw {{ not rendered }}\n",
            **(extra or {}),
        },
    )
    return root


def render_with(root: Path, *ids: str, name: str = "my-app") -> dict[str, bytes]:
    catalog = load_catalog(root)
    return render_tree(catalog, resolve(catalog, ids, use_defaults=True), Project(name), root)


def test_render_applies_package_token_jinja_and_contributions(tmp_path):
    tree = render_with(tiny_templates(tmp_path), "addon")
    assert tree["README.md"] == b"my-app: base-dep,my_app-one,addon-dep\n"
    assert tree["one.py"] == b"NAME = 'my_app'\n"
    assert "src/my_app/__init__.py" in tree
    assert tree["addon.txt"] == b"raw {{ not rendered }}\n"  # not a .j2 file: copied as is
    assert tree["maybe.txt"] == b"addon here"


def test_empty_conditional_template_is_not_emitted(tmp_path):
    tree = render_with(tiny_templates(tmp_path), "one")
    assert "maybe.txt" not in tree
    assert "src/my_app/__init__.py" in tree  # an empty plain file is kept


def test_render_is_deterministic(tmp_path):
    root = tiny_templates(tmp_path)
    assert render_with(root, "addon") == render_with(root, "addon")
    assert list(render_with(root, "addon")) == sorted(render_with(root, "addon"))


def test_two_sources_emitting_one_path_is_an_error(tmp_path):
    root = tiny_templates(tmp_path, {"patterns/addon/files/one.py.j2": "x = 1\n"})
    with pytest.raises(InternalError, match=r"both emit one\.py"):
        render_with(root, "addon")


def test_a_path_outside_the_project_is_refused(tmp_path):
    with pytest.raises(InternalError, match="outside the project"):
        render._check_inside("../evil.py", "one")
    with pytest.raises(InternalError, match="outside the project"):
        render._check_inside("/etc/passwd", "one")


def test_undefined_variable_fails_loudly(tmp_path):
    root = tiny_templates(tmp_path, {"patterns/one/files/bad.txt.j2": "{{ nope }}\n"})
    with pytest.raises(InternalError, match=r"bad\.txt\.j2"):
        render_with(root, "one")


def test_contributions_merge_and_clash():
    merged = merge_contributions(
        [("a", {"m": {"x": 1}, "l": [1, 2]}), ("b", {"m": {"y": 2}, "l": [2, 3]})]
    )
    assert merged == {"l": [1, 2, 3], "m": {"x": 1, "y": 2}}
    with pytest.raises(InternalError, match="a and b"):
        merge_contributions([("a", {"k": 1}), ("b", {"k": 2})])


@pytest.mark.parametrize("name", ["Bad", "1app", "a_b", "a--b", "a-", "x" * 70, "", "yes", "y"])
def test_bad_project_names(name):
    with pytest.raises(UsageError):
        render.validate_name(name)


def test_new_project_writes_tree_answers_and_base(tmp_path):
    target = tmp_path / "demo"
    result = api.new_project(target, ["web-single", "model-in-image"])
    assert result.written
    answers = read_answers(target)
    assert answers.patterns == ("web-single", "model-in-image")
    base = read_base(target)
    for rel, data in base.items():
        assert (target / rel).read_bytes() == data
    assert not [p for p in tmp_path.iterdir() if p.name != "demo"], "staging left behind"


def test_two_renders_are_byte_identical(tmp_path):
    a = api.new_project(tmp_path / "a" / "demo", ["asynchronous"], use_defaults=True)
    b = api.new_project(tmp_path / "b" / "demo", ["asynchronous"], use_defaults=True)
    files_a = {p.relative_to(a.target): p.read_bytes() for p in a.target.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b.target): p.read_bytes() for p in b.target.rglob("*") if p.is_file()}
    assert files_a == files_b


def test_dry_run_writes_nothing(tmp_path):
    result = api.new_project(tmp_path / "demo", ["web-single", "model-in-image"], dry_run=True)
    assert not result.written
    assert {f.action for f in result.plan} == {"create"}
    assert not (tmp_path / "demo").exists()


def test_non_empty_target_needs_force_and_then_plans_skip(tmp_path):
    target = tmp_path / "demo"
    api.new_project(target, ["web-single", "model-in-image"])
    (target / "mine.txt").write_text("user file")
    with pytest.raises(TargetError, match="not empty"):
        api.new_project(target, ["web-single", "model-in-image"])
    again = api.new_project(target, ["web-single", "model-in-image"], force=True, dry_run=True)
    assert {f.action for f in again.plan} == {"skip"}
    assert (target / "mine.txt").read_text() == "user file"


def test_target_that_is_a_file(tmp_path):
    (tmp_path / "demo").write_text("x")
    with pytest.raises(TargetError):
        api.new_project(tmp_path / "demo", ["web-single", "model-in-image"])


def test_failure_mid_write_leaves_nothing(tmp_path, monkeypatch):
    calls = {"n": 0}
    real = Path.write_bytes

    def flaky(self, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(TargetError, match="nothing was written"):
        api.new_project(tmp_path / "demo", ["web-single", "model-in-image"])
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_overwrite_restores_every_file(tmp_path, monkeypatch):
    target = tmp_path / "demo"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    (target / "README.md").write_text("my readme")
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    real = merge.apply._replace
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("boom")
        return real(src, dst)

    monkeypatch.setattr(merge.apply, "_replace", flaky)
    with pytest.raises(TargetError, match="nothing was changed"):
        api.new_project(target, ["web-single", "model-in-image"], force=True)
    after = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "keep.txt"]


def test_base_file_is_hidden_state(tmp_path):
    target = tmp_path / "demo"
    api.new_project(target, ["web-single", "model-in-image"])
    assert (target / BASE_FILE).is_file()
    assert BASE_FILE not in read_base(target)


def test_base_file_is_compressed_and_reproducible(tmp_path):
    import gzip

    target = tmp_path / "demo"
    api.new_project(target, ["web-single", "model-in-image"])
    packed = (target / BASE_FILE).read_bytes()
    text = gzip.decompress(packed)
    assert len(packed) * 3 < len(text)  # compressed, not just renamed
    assert packed[4:8] == b"\0\0\0\0"  # no timestamp in the gzip header: renders compare equal
    assert not (target / ".mlsd" / "base.json").exists()


def test_contributes_typo_is_an_error_naming_the_manifest(tmp_path):
    schema = (paths.TEMPLATES_DIR / render.CONTRIBUTES_SCHEMA).read_text()
    root = tiny_templates(
        tmp_path,
        {
            render.CONTRIBUTES_SCHEMA: schema,
            "base/component.yaml": "contributes:\n  make: {demo: run}\n",
            "base/files/README.md.j2": "{{ c.make.demo }}\n",
            "patterns/one/pattern.yaml": (
                "id: one\ncategory: serving\ntitle: One\nsummary: s\nwhen: w\nadds: [x]\n"
                "axis: topo\nstatus: available\ncontributes:\n  dependancies: {core: [x]}\n"
            ),
            "patterns/addon/pattern.yaml": (
                "id: addon\ncategory: serving\ntitle: Addon\nsummary: s\nwhen: w\nadds: [x]\n"
                "status: available\nrequires_axes: [topo]\n"
            ),
        },
    )
    with pytest.raises(InternalError) as err:
        render_with(root, "one")
    assert err.value.message.startswith("patterns/one/pattern.yaml: invalid contributes")
    assert "'dependancies' was unexpected" in err.value.message
    assert render_with(root, "two")["README.md"] == b"run\n"  # a valid manifest still renders


def test_contributes_schema_rejects_a_wrongly_typed_value(tmp_path):
    with pytest.raises(InternalError, match=r"x.yaml: invalid contributes: contributes\.plugins"):
        render.validate_contributes(
            {"plugins": {"hooks": {"log": "late"}}}, "x.yaml", paths.TEMPLATES_DIR
        )
    render.validate_contributes({"plugins": {"hooks": {"log": 90}}}, "x.yaml", paths.TEMPLATES_DIR)
