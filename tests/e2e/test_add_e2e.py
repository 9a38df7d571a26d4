"""After `mlsd add` into an edited project, with no conflict, the project's own tests pass."""

from __future__ import annotations

import subprocess
import sys

import pytest
from test_matrix import suite_env

from mlsd import api

pytestmark = pytest.mark.slow


def test_add_into_edited_project_keeps_it_working(tmp_path):
    root = tmp_path / "demo-app"
    api.new_project(root, ["web-single"], use_defaults=True)
    readme = root / "README.md"
    readme.write_text("Team notes: owned by the search squad.\n\n" + readme.read_text())
    tests = root / "tests" / "test_user_added.py"
    tests.write_text("def test_user_test_still_runs():\n    assert 1 + 1 == 2\n")
    result = api.add_patterns(root, ["asynchronous"])
    assert not result.plan.has_conflicts
    assert readme.read_text().startswith("Team notes")
    assert tests.is_file()
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        env=suite_env(),
    )
    assert out.returncode == 0, (out.stdout + out.stderr)[-5000:]
    assert "test_user_added.py" in out.stdout or " passed" in out.stdout
