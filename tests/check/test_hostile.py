"""A hostile tree: nothing crashes, every unreadable thing is reported as skipped."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from mlsd.check.api import run_check
from mlsd.check.engine import Options
from tests.check.conftest import build_tree


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("import os\n")
    build_tree(
        root,
        {
            "binary.py": {"bytes_hex": "00010203ff"},
            "latin1.py": {"bytes_hex": "232063616665e90a"},  # "# cafe\xe9" in latin-1
            "broken.py": "def f(:\n",
            "huge.py": "x = 1\n" * 400_000,  # ~2.4 MB, over the limit set below
            "nb/broken.ipynb": '{"cells": [',
            "nb/badcell.ipynb": '{"cells": [{"cell_type": "code", "source": "def (:"}]}',
            "app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "k8s/bad.yaml": "kind: Deployment\napiVersion: v1\nspec: [unclosed\n",
            ".mlsd.yml": "max-file-size-kb: 1024\n",
        },
    )
    os.symlink(root / "loop_a", root / "loop_b")
    os.symlink(root / "loop_b", root / "loop_a")
    os.symlink(outside, root / "escape")
    os.symlink(outside / "secret.py", root / "secret_link.py")
    os.symlink(root / "nb", root / "nb_link")
    return root


def _reasons(report) -> dict[str, str]:
    return {s.path: s.reason for s in report.skipped}


def test_hostile_tree_is_reported_not_crashed(hostile: Path) -> None:
    report = run_check(hostile, Options(select=["ALL"]))
    reasons = _reasons(report)
    assert reasons["binary.py"] == "binary file"
    assert reasons["latin1.py"] == "invalid UTF-8"
    assert reasons["broken.py"].startswith("syntax error at line 1")
    assert reasons["huge.py"].startswith("too large")
    assert "not valid JSON" in reasons["nb/broken.ipynb"]
    assert "syntax error" in reasons["nb/badcell.ipynb#cell1"]
    assert reasons["loop_a"] == "symlink loop"
    assert reasons["loop_b"] == "symlink loop"
    assert "outside" in reasons["escape"]
    assert "outside" in reasons["secret_link.py"]
    assert "folder" in reasons["nb_link"]
    assert reasons["k8s/bad.yaml"].startswith("invalid YAML")
    assert not [r for r in reasons.values() if r.startswith("rule ")]
    assert all(not f.path.startswith(("escape", "secret_link")) for f in report.findings)


def test_unreadable_file_is_skipped(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom chmod 000 does not block reading: simulate EACCES instead.
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file).endswith("app.py"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    report = run_check(hostile, Options(select=["ALL"]))
    assert _reasons(report)["app.py"] == "unreadable: Permission denied"


def test_gitignored_and_vendored_folders_are_skipped(tmp_path: Path) -> None:
    bad = 'DATA = "/Users/alice/x.csv"\n'
    build_tree(
        tmp_path,
        {
            ".gitignore": "scratch/\n*.local.py\n",
            "scratch/a.py": bad,
            "b.local.py": bad,
            ".venv/lib/c.py": bad,
            "node_modules/x/d.py": bad,
            "env2/pyvenv.cfg": "home = /usr\n",
            "env2/lib/e.py": bad,
            "sub/.gitignore": "gen.py\n",
            "sub/gen.py": bad,
            "sub/kept.py": bad,
        },
    )
    report = run_check(tmp_path, Options(select=["OM006"]))
    assert [f.path for f in report.findings] == ["sub/kept.py"]


def test_missing_path_and_file_path_are_usage_errors(tmp_path: Path) -> None:
    from mlsd.errors import UsageError

    with pytest.raises(UsageError):
        run_check(tmp_path / "nope")
    (tmp_path / "f.py").write_text("x = 1\n")
    with pytest.raises(UsageError):
        run_check(tmp_path / "f.py")
