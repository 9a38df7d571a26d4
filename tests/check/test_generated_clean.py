"""A project shaped like the ones `mlsd new` renders must check clean (default rules).

The lead's e2e test renders the real templates; this fixture keeps the rules honest
meanwhile and documents the shape the rules expect."""

from __future__ import annotations

import shutil
from pathlib import Path

from mlsd.check.api import run_check

FIXTURE = Path(__file__).parent / "fixtures" / "generated_project"


def test_generated_like_project_is_clean(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    shutil.copytree(FIXTURE, root)
    report = run_check(root)
    assert [f"{f.code} {f.path}:{f.line} {f.message}" for f in report.findings] == []
    assert report.skipped == []


def test_components_found(tmp_path: Path) -> None:
    from mlsd.check.components import components_of, model_serving
    from mlsd.check.config import Config
    from mlsd.check.context import Context
    from mlsd.check.walk import walk

    files, skipped = walk(FIXTURE, [])
    ctx = Context(FIXTURE, Config(), files, skipped)
    comps = components_of(ctx)
    assert components_of(ctx) is comps  # found once per context
    assert sorted(u.name for u in comps.serving) == ["Dockerfile.gateway", "Dockerfile.serving"]
    assert [u.name for u in model_serving(ctx)] == ["Dockerfile.serving"]
    assert "src/proj/training/train.py" in comps.training_modules
    assert not any("tests/" in u.path for u in comps.serving)
