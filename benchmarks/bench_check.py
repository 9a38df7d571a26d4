"""Benchmark `mlsd check` against a floor measured in the same run.

Builds two synthetic repositories in a temporary folder:
  * "10k lines": a generated-style project (serving, gateway, training, manifests) padded
    with modules to ~10,000 lines of Python;
  * "large tree": a few thousand files (Python, YAML, Markdown, notebooks, artefacts).
For each it prints the median time of `run_check` (all rules) and of the floor loop
(read every file the check reads and `ast.parse` every Python file), and the ratio.
Goal: ratio <= 2. Also prints whether `copier` was imported (it must not be).

    python benchmarks/bench_check.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import ast
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIXTURE = ROOT / "tests" / "check" / "fixtures" / "generated_project"

MODULE = '''"""Synthetic module {i}."""

import logging
import os
from dataclasses import dataclass

from proj.settings import Settings

logger = logging.getLogger(__name__)


@dataclass
class Record{i}:
    key: str
    value: float
    weight: float = 1.0


def transform_{i}(rows: list[Record{i}], scale: float = 1.0) -> list[float]:
    out = []
    for row in rows:
        if row.value > 0:
            out.append(row.value * row.weight * scale)
        else:
            out.append(0.0)
    logger.debug("transformed %d rows", len(out))
    return out


def summarise_{i}(values: list[float]) -> dict[str, float]:
    total = sum(values)
    count = len(values) or 1
    mean = total / count
    var = sum((v - mean) ** 2 for v in values) / count
    return {{"total": total, "mean": mean, "var": var, "env": float(len(os.environ))}}


class Service{i}:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache: dict[str, float] = {{}}

    def get(self, key: str) -> float | None:
        return self.cache.get(key)

    def put(self, key: str, value: float) -> None:
        if len(self.cache) > 1000:
            self.cache.clear()
        self.cache[key] = value
'''

NOTEBOOK = (
    '{"cells": [{"cell_type": "code", "source": ["import pandas as pd\\n", "x = 1\\n"]}], '
    '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)
K8S = """apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{i}
data:
  key: value-{i}
"""


def build_10k(root: Path) -> None:
    shutil.copytree(FIXTURE, root)
    pkg = root / "src" / "proj" / "lib"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    lines = sum(len(p.read_text().splitlines()) for p in root.rglob("*.py"))
    i = 0
    while lines < 10_000:
        text = MODULE.format(i=i)
        (pkg / f"mod_{i}.py").write_text(text)
        lines += len(text.splitlines())
        i += 1


def build_large(root: Path, n_dirs: int = 60, per_dir: int = 50) -> None:
    shutil.copytree(FIXTURE, root)
    for d in range(n_dirs):
        folder = root / "services" / f"svc_{d}"
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
        for i in range(per_dir):
            kind = i % 10
            if kind < 6:
                (folder / f"m_{i}.py").write_text(MODULE.format(i=i))
            elif kind == 6:
                (folder / f"cm_{i}.yaml").write_text(K8S.format(i=i))
            elif kind == 7:
                (folder / f"doc_{i}.md").write_text(f"# doc {i}\n\ntext\n")
            elif kind == 8:
                (folder / f"nb_{i}.ipynb").write_text(NOTEBOOK)
            else:
                (folder / f"blob_{i}.bin").write_bytes(b"\x00" * 256)
    vendored = root / "node_modules" / "pkg"
    vendored.mkdir(parents=True)
    for i in range(500):
        (vendored / f"v_{i}.py").write_text(MODULE.format(i=i))


def floor(root: Path) -> None:
    """Read every file the checker would read and ast.parse the Python ones (same walk)."""
    from mlsd.check.walk import walk

    files, _ = walk(root, [])
    for f in files:
        if f.kind in ("artifact", "other"):
            continue
        data = f.abs.read_bytes()
        if f.kind == "python":
            ast.parse(data.decode("utf-8"))


def check(root: Path) -> int:
    from mlsd.check.api import run_check
    from mlsd.check.engine import Options

    report = run_check(root, Options(select=["ALL"]))
    return len(report.findings)


def paired_times(root: Path, repeat: int) -> tuple[float, float, float]:
    """Interleave floor and check so machine noise hits both alike.

    Returns (median floor, median check, median of the per-pair ratios)."""
    floors, checks, ratios = [], [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        floor(root)
        t1 = time.perf_counter()
        check(root)
        t2 = time.perf_counter()
        floors.append(t1 - t0)
        checks.append(t2 - t1)
        ratios.append((t2 - t1) / (t1 - t0))
    return statistics.median(floors), statistics.median(checks), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    check(FIXTURE)  # warm imports (registry, rules) outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in (("10k lines", build_10k), ("large tree", build_large)):
            root = Path(tmp) / name.replace(" ", "_")
            build(root)
            n_files = sum(1 for p in root.rglob("*") if p.is_file())
            py_lines = sum(
                len(p.read_text().splitlines())
                for p in root.rglob("*.py")
                if "node_modules" not in p.parts
            )
            t_floor, t_check, ratio = paired_times(root, args.repeat)
            print(
                f"{name:<11} files={n_files:>5} py_lines={py_lines:>6}  "
                f"floor(read+ast.parse) median={t_floor * 1000:7.1f} ms  "
                f"check median={t_check * 1000:7.1f} ms  ratio (median of pairs)={ratio:4.2f}x"
            )
    print(f"copier imported: {'yes' if 'copier' in sys.modules else 'no'}")
    print(f"cookiecutter imported: {'yes' if 'cookiecutter' in sys.modules else 'no'}")


if __name__ == "__main__":
    main()
