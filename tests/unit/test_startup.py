"""What keeps start-up small: the catalog cache (never stale, never required) and the lazy
imports of `mlsd list`; and the shell completion typer offers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlsd import catalog_cache, paths
from mlsd.catalog import _load, _parse


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    shutil.copytree(paths.TEMPLATES_DIR, root)
    return root


def test_cache_is_used_and_follows_edits(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLSD_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[Path] = []

    def counting(root: Path) -> dict:
        calls.append(root)
        return _parse(root)

    first = catalog_cache.cached(templates, counting)
    assert catalog_cache.cached(templates, counting) == first
    assert len(calls) == 1  # the second read came from the cache
    manifest = templates / "patterns" / "batch" / "pattern.yaml"
    manifest.write_text(manifest.read_text().replace("title:", "title: Edited", 1))
    edited = catalog_cache.cached(templates, counting)
    assert len(calls) == 2 and edited["patterns"]["batch"]["title"].startswith("Edited")


def test_unwritable_or_damaged_cache_only_costs_time(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("MLSD_CACHE_DIR", str(blocked / "cache"))
    assert catalog_cache.cached(templates, _parse) == _parse(templates)
    monkeypatch.setenv("MLSD_CACHE_DIR", str(tmp_path / "cache"))
    catalog_cache.cached(templates, _parse)
    for stored in (tmp_path / "cache").glob("catalog-*.json"):
        stored.write_text("{damaged")
    assert catalog_cache.cached(templates, _parse) == _parse(templates)


def test_cached_catalog_equals_parsed(templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLSD_NO_CACHE", "1")
    _load.cache_clear()
    fresh = _load(templates)
    monkeypatch.delenv("MLSD_NO_CACHE")
    _load.cache_clear()
    _load(templates)  # fills the cache
    _load.cache_clear()
    assert _load(templates) == fresh
    _load.cache_clear()


def _imported_modules(*args: str) -> set[str]:
    code = (
        "import sys, runpy; sys.argv = ['mlsd', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('mlsd', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    return set(out.stderr.split())


def test_list_imports_no_heavy_machinery() -> None:
    _imported_modules("list")  # fill the cache
    loaded = _imported_modules("list", "--json")
    heavy_modules = ("yaml", "jinja2", "merge3", "pathspec", "mlsd.render", "mlsd.check.engine")
    for heavy in (*heavy_modules, "copier", "mlsd.export"):
        assert heavy not in loaded, heavy


def test_list_with_a_pack_reads_its_yaml_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "house-pack"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "house-pack", pack)
    monkeypatch.setenv("MLSD_CACHE_DIR", str(tmp_path / "cache"))
    _imported_modules("--pack", str(pack), "list")  # fill the caches
    assert list((tmp_path / "cache").glob("pack-*.json"))
    loaded = _imported_modules("--pack", str(pack), "list", "--json")
    assert "mlsd.packs" in loaded and "mlsd.pack_catalog" in loaded  # the pack was joined
    for heavy in ("yaml", "jinja2", "jsonschema", "mlsd.render"):
        assert heavy not in loaded, heavy
    manifest = next(pack.glob("patterns/*/pattern.yaml"))
    manifest.write_text(manifest.read_text() + "\n")  # an edit is a new key: parsed again
    assert "yaml" in _imported_modules("--pack", str(pack), "list", "--json")


def test_shell_completion_offers_pattern_ids() -> None:
    env = {
        **os.environ,
        "_MLSD_COMPLETE": "complete_bash",
        "COMP_WORDS": "mlsd new demo --pattern prediction-c",
        "COMP_CWORD": "4",
    }
    out = subprocess.run(
        [sys.executable, "-m", "mlsd"], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.stdout.split() == ["prediction-cache", "prediction-circuit-break"]
    script = subprocess.run(
        [sys.executable, "-m", "mlsd", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert script.returncode == 0 and "_mlsd_completion" in script.stdout
