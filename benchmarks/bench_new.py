"""Benchmark start-up (`mlsd --help`, `mlsd list`) and `mlsd new` against their floors.

Run: python benchmarks/bench_new.py [--here]. Start-up is measured as users get mlsd: the
wheel is built and installed into a fresh virtual environment (`--here` measures the current
environment instead, e.g. an editable install). Each command runs in a new process, in
rounds that interleave `python -c pass` (the floor), so load from other work on the machine
hits all of them alike. Goals: `mlsd list` <= 0.15 s (also with the example pack
configured), `mlsd --help` <= 0.12 s, `mlsd new` render <= 1.3x a bare Jinja2 loop.
Prints medians; nothing is asserted.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import bare_jinja_render, largest_available_set, median_seconds, report, tmpdir

from mlsd import api, render
from mlsd.catalog import _load, load_catalog
from mlsd.render import Project, render_tree

HOUSE_PACK = Path(__file__).resolve().parents[1] / "examples" / "house-pack"


def installed_bin(here: bool) -> Path:
    """The bin folder of the mlsd to measure: a fresh venv holding the built wheel."""
    if here:
        return Path(sys.executable).parent
    work = tmpdir()
    repo = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-m", "build", "-q", "--wheel", "--outdir", str(work), str(repo)],
        check=True,
        capture_output=True,
    )
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    wheel = next(work.glob("*.whl"))
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", wheel], check=True, capture_output=True
    )
    return bin_dir


def start_up(bin_dir: Path, rounds: int = 15) -> dict[str, float]:
    """Median wall time of each command in a new process, interleaved round by round."""
    env = {**os.environ, "NO_COLOR": "1"}
    mlsd = str(bin_dir / "mlsd")
    commands = {
        "python -c pass (floor)": [str(bin_dir / "python"), "-c", "pass"],
        "mlsd --help": [mlsd, "--help"],
        "mlsd list": [mlsd, "list"],
        "mlsd list --json": [mlsd, "list", "--json"],
        "mlsd --pack house list": [mlsd, "--pack", str(HOUSE_PACK), "list"],
    }
    for name in ("mlsd list", "mlsd --pack house list"):  # fill the caches
        subprocess.run(commands[name], capture_output=True, env=env, check=True)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env, check=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def fresh_render(resolution, project):
    render._environment.cache_clear()  # no template cache carried between runs
    _load.cache_clear()
    return render_tree(load_catalog(), resolution, project)


def main() -> None:
    here = "--here" in sys.argv
    medians = start_up(installed_bin(here))
    floor = medians["python -c pass (floor)"]
    goals = {"mlsd --help": 0.12, "mlsd list": 0.15, "mlsd --pack house list": 0.15}
    print(f"start-up ({'this environment' if here else 'wheel in a fresh venv'}), median:")
    for name, seconds in medians.items():
        goal = f"goal <= {goals[name] * 1000:.0f} ms" if name in goals else ""
        print(f"  {name:<28} {seconds * 1000:7.1f} ms  {seconds / floor:5.2f}x floor  {goal}")

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
