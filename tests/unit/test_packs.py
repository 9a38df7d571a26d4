"""Pattern packs: found by --pack, MLSD_PACKS, [tool.mlsd] packs or an entry point; used like
built-in patterns; recorded with the project; refused with the file that is wrong."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlsd import api, packs
from mlsd.catalog import load_catalog
from mlsd.packs import PackError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "house-pack"
ENV = {**os.environ, "NO_COLOR": "1"}
ENV.pop("MLSD_PACKS", None)


def mlsd(*args: object, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [sys.executable, "-m", "mlsd", *map(str, args)],
        capture_output=True,
        text=True,
        env={**ENV, **env},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


@pytest.fixture(autouse=True)
def no_active_packs() -> Iterator[None]:
    packs.reset()
    yield
    packs.reset()


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = tmp_path / "house-pack"
    shutil.copytree(EXAMPLE, copy)
    return copy


def test_pack_patterns_join_the_catalog_marked_with_their_source() -> None:
    assert "model-card" not in load_catalog().entries
    packs.activate([str(EXAMPLE)])
    entry = load_catalog().entries["model-card"]
    assert entry.source == "house" and entry.available
    assert load_catalog().rank("model-card") > load_catalog().rank("parameter-based-serving")


def test_list_show_and_json_name_the_pack() -> None:
    listed = json.loads(mlsd("--pack", EXAMPLE, "list", "--json").stdout)
    card = next(e for e in listed if e["id"] == "model-card")
    assert card["source"] == "house"
    assert all(e.get("source", "mlsd") == "mlsd" for e in listed if e["id"] != "model-card")
    assert "available [house]" in mlsd("--pack", EXAMPLE, "list").stdout
    assert "From pack: house" in mlsd("--pack", EXAMPLE, "show", "model-card").stdout


def test_env_and_pyproject_settings_find_packs(tmp_path: Path) -> None:
    assert "model-card" in mlsd("list", MLSD_PACKS=str(EXAMPLE)).stdout
    (tmp_path / "pyproject.toml").write_text(f'[tool.mlsd]\npacks = ["{EXAMPLE}"]\n')
    assert "model-card" in mlsd("list", cwd=tmp_path).stdout
    assert "model-card" not in mlsd("list").stdout


def test_installed_pack_through_its_entry_point(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site / "house_patterns")
    (site / "house_patterns" / "__init__.py").write_text("")
    dist = site / "house_patterns-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: house-patterns\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[mlsd.patterns]\nhouse = house_patterns\n")
    out = mlsd("--pack", "house", "list", "--json", PYTHONPATH=str(site))
    assert out.returncode == 0, out.stderr
    assert any(e["id"] == "model-card" for e in json.loads(out.stdout))
    missing = mlsd("--pack", "no-such-pack", "list")
    assert missing.returncode == 2 and "entry point group `mlsd.patterns`" in missing.stderr


def test_project_records_its_pack_and_add_finds_it_again(tmp_path: Path, pack: Path) -> None:
    project = tmp_path / "demo"
    out = mlsd("--pack", pack, "new", project, "-p", "model-card", "--defaults")
    assert out.returncode == 0, out.stderr
    answers = (project / ".mlsd" / "answers.yaml").read_text()
    assert "name: house" in answers and str(pack) in answers
    assert (project / "src" / "demo" / "routes" / "model_card.py").is_file()
    added = mlsd("add", "prediction-log", "--allow-dirty", "--path", project)
    assert added.returncode == 0, added.stderr  # no --pack: the recorded one is found
    shutil.move(pack, tmp_path / "moved")
    lost = mlsd("upgrade", "--dry-run", "--allow-dirty", "--path", project)
    assert lost.returncode == 2 and "packs that cannot be found: house" in lost.stderr
    found = mlsd("upgrade", "--dry-run", "--allow-dirty", "--path", project,
                 MLSD_PACKS=str(tmp_path / "moved"))  # fmt: skip
    assert found.returncode == 0, found.stderr


def _break(pack: Path, rel: str, old: str, new: str) -> None:
    path = pack / rel
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (("pack.yaml", "patterns:", "pattern:"), "pack.yaml: unknown keys pattern"),
        (("patterns/model-card/pattern.yaml", "summary:", "sumary:"), "unknown keys sumary"),
        (("patterns/model-card/pattern.yaml", "operation", "operations"), "unknown category"),
        (("patterns/model-card/pattern.yaml", "- web-single", "- web-singel"), "web-singel"),
    ],
    ids=["pack-key", "manifest-key", "category", "requires"],
)
def test_a_bad_pack_is_an_error_naming_the_file(
    pack: Path, breakage: tuple[str, str, str], message: str
) -> None:
    _break(pack, *breakage)
    with pytest.raises(PackError, match=message) as info:
        packs.activate([str(pack)])
        load_catalog()
    assert str(pack) in info.value.message
    out = mlsd("--pack", pack, "list")
    assert out.returncode == 2 and message.split(":")[-1].strip() in out.stderr


def test_an_id_taken_by_a_built_in_pattern_is_refused(pack: Path) -> None:
    shutil.move(pack / "patterns" / "model-card", pack / "patterns" / "batch")
    _break(pack, "pack.yaml", "- model-card", "- batch")
    _break(pack, "patterns/batch/pattern.yaml", "id: model-card", "id: batch")
    packs.activate([str(pack)])
    with pytest.raises(PackError, match="id batch is taken by mlsd"):
        load_catalog()


def test_a_path_owned_by_another_source_is_refused(pack: Path) -> None:
    files = pack / "patterns" / "model-card" / "files"
    (files / "Makefile.j2").write_text("all:\n")
    packs.activate([str(pack)])
    with pytest.raises(PackError, match="the path Makefile belongs to base"):
        load_catalog()


def test_pack_pattern_renders_like_a_built_in(tmp_path: Path) -> None:
    packs.activate([str(EXAMPLE)])
    result = api.new_project(tmp_path / "demo", ["model-card"], use_defaults=True)
    assert result.resolution.patterns == ("web-single", "model-in-image", "model-card")
    readme = (tmp_path / "demo" / "README.md").read_text()
    assert "## Model card (model-card, from the `house` pack)" in readme
