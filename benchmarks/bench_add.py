"""Benchmark `mlsd add` of one pattern on a project of the largest available set, against a
bare re-render of the same set in the same run. Goals: add <= 2x a bare render and <= 0.3 s.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import largest_available_set, median_seconds, report, tmpdir

from mlsd import api
from mlsd.catalog import load_catalog
from mlsd.errors import MlsdError
from mlsd.render import Project, render_tree


def main() -> None:
    full = largest_available_set()
    catalog = load_catalog()
    project = Project("bench-app")
    # the pattern to add: the last one whose removal still leaves a valid project
    for pid in reversed(full.patterns):
        rest = [p for p in full.patterns if p != pid]
        try:
            api.resolve_selection(rest)
        except MlsdError:
            continue
        break
    else:
        raise SystemExit("no pattern can be added on its own")
    print(f"project: {', '.join(rest)}; adding {pid}")

    def bare_render() -> None:
        render_tree(catalog, full, project)

    def bare_rerender_to_disk() -> None:
        target = tmpdir() / "bench-app"
        for rel, data in render_tree(catalog, full, project).items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        shutil.rmtree(target.parent)

    def add_once() -> float:
        target = tmpdir() / "bench-app"
        api.new_project(target, rest)
        start = time.perf_counter()
        api.add_patterns(target, [pid])
        seconds = time.perf_counter() - start
        shutil.rmtree(target.parent)
        return seconds

    in_memory = median_seconds(bare_render)
    floor = median_seconds(bare_rerender_to_disk)
    add = statistics.median(add_once() for _ in range(7))
    report(
        [
            ("bare render of the full set, in memory", in_memory),
            ("bare re-render of the full set to disk (floor)", floor),
            ("mlsd add (render, plan, merge, atomic apply)", add),
        ],
        floor,
    )
    print(f"goal: add <= 2x floor and <= 300 ms (add took {add * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
