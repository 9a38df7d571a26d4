"""Benchmark `mlsd list` cold start and `mlsd new`, against a bare Jinja2 loop (the floor).

Run: python benchmarks/bench_new.py. Prints medians; goals: cold `mlsd list` <= 0.15 s and
`mlsd new` render <= 1.3x the floor. Nothing is asserted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import bare_jinja_render, largest_available_set, median_seconds, report, tmpdir

from mlsd import api, render
from mlsd.catalog import _load, load_catalog
from mlsd.render import Project, render_tree


def cold(*args: str) -> float:
    exe = shutil.which("mlsd") or sys.executable
    cmd = [exe, *args] if exe != sys.executable else [exe, "-m", "mlsd", *args]
    env = {**os.environ, "NO_COLOR": "1"}
    return median_seconds(lambda: subprocess.run(cmd, capture_output=True, env=env, check=True))


def fresh_render(resolution, project):
    render._environment.cache_clear()  # no template cache carried between runs
    _load.cache_clear()
    return render_tree(load_catalog(), resolution, project)


def main() -> None:
    python_floor = median_seconds(
        lambda: subprocess.run([sys.executable, "-c", "pass"], check=True)
    )
    print(f"{'python -c pass (interpreter start)':<44} {python_floor * 1000:9.1f} ms")
    print(f"{'mlsd --help (cold)':<44} {cold('--help') * 1000:9.1f} ms")
    print(f"{'mlsd list (cold)':<44} {cold('list') * 1000:9.1f} ms   goal <= 150 ms")

    resolution = largest_available_set()
    project = Project("bench-app")
    files = len(fresh_render(resolution, project))
    print(f"\nlarge available set, greedy ({files} files): {', '.join(resolution.patterns)}")
    floor = median_seconds(lambda: bare_jinja_render(resolution, project))

    def new_to_disk() -> None:
        target = tmpdir() / "bench-app"
        api.new_project(target, list(resolution.patterns))
        shutil.rmtree(target.parent)

    report(
        [
            ("bare Jinja2 loop (floor)", floor),
            (
                "mlsd render (in memory, no cache)",
                median_seconds(lambda: fresh_render(resolution, project)),
            ),
            ("mlsd new (render + plan + atomic write)", median_seconds(new_to_disk)),
        ],
        floor,
    )
    print("goal: mlsd render <= 1.3x floor")


if __name__ == "__main__":
    main()
