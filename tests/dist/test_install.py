"""mlsd as users get it: the built wheel and sdist, each installed into a fresh virtual
environment with no extras and used from a folder outside the checkout.

A template or rule case missing from the package, or an import that is not a declared
dependency, fails here (the development environment has every package, so it would not).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


def _fresh_env(where: Path, artefact: Path) -> Path:
    """A virtual environment without system packages holding only mlsd and its dependencies."""
    venv.create(where, with_pip=True, clear=True)
    bin_dir = where / "bin"
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", artefact],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return bin_dir


def run(bin_dir: Path, *args: object, cwd: Path, ok: tuple[int, ...] = (0,)) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NO_COLOR="1", PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")
    out = subprocess.run(
        [*map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    assert out.returncode in ok, f"{args}: exit {out.returncode}\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr, out.stderr
    return out.stdout


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_installed_mlsd_works_outside_the_checkout(dist: Path, tmp_path: Path, kind: str) -> None:
    pattern = "*.whl" if kind == "wheel" else "*.tar.gz"
    artefact = next(dist.glob(pattern))
    bin_dir = _fresh_env(tmp_path / "venv", artefact)
    work = tmp_path / "work"
    work.mkdir()

    mlsd = bin_dir / "mlsd"
    assert run(bin_dir, mlsd, "--version", cwd=work).startswith("mlsd ")
    catalog = json.loads(run(bin_dir, bin_dir / "python", "-m", "mlsd", "list", "--json", cwd=work))
    assert sum(e["kind"] == "pattern" for e in catalog) == 28
    installed = run(bin_dir, bin_dir / "python", "-c", "import mlsd; print(mlsd.__file__)", cwd=work)
    assert str(REPO) not in installed  # the installed copy, not the checkout

    run(bin_dir, mlsd, "new", "demo", "--pattern", "synchronous", "--defaults", cwd=work)
    project = work / "demo"
    assert (project / "src" / "demo" / "gateway").is_dir()
    run(bin_dir, mlsd, "check", ".", cwd=project)
    run(bin_dir, mlsd, "add", "prediction-cache", cwd=project)
    assert "prediction-cache" in (project / ".mlsd" / "answers.yaml").read_text()
    run(bin_dir, mlsd, "upgrade", "--dry-run", cwd=project)
    run(bin_dir, mlsd, "remove", "prediction-cache", cwd=project)  # packaging is installed too
    assert "prediction-cache" not in (project / ".mlsd" / "answers.yaml").read_text()
    run(bin_dir, mlsd, "rules", "--json", cwd=work)
    # the export writes a copier template without copier installed
    run(bin_dir, mlsd, "export", "copier", "tpl", "--preset", "minimal", cwd=work)
    assert (work / "tpl" / "copier.yml").is_file()

    smelly = work / "smelly"
    smelly.mkdir()
    (smelly / "app.py").write_text(
        "from flask import Flask\nfrom sklearn.linear_model import LogisticRegression\n"
        "app = Flask(__name__)\nmodel = LogisticRegression().fit([[0], [1]], [0, 1])\n"
        "@app.post('/predict')\ndef predict():\n    return {'y': 1}\n"
    )
    (smelly / "requirements.txt").write_text("flask\nscikit-learn\njupyter\n")
    (smelly / "Dockerfile").write_text(
        'FROM python:3.11-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n'
    )
    run(
        bin_dir,
        mlsd,
        "check",
        smelly,
        "--output-format",
        "sarif",
        "-o",
        work / "report.sarif",
        cwd=work,
        ok=(1,),
    )
    sarif = json.loads((work / "report.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
