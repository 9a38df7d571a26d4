"""Shared helpers for the benchmark scripts: medians, the largest available set, a floor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from mlsd import api, paths
from mlsd.catalog import load_catalog
from mlsd.errors import MlsdError
from mlsd.render import Project, build_context, sources_for
from mlsd.resolver import Resolution


def median_seconds(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def largest_available_set() -> Resolution:
    """A large valid combination of available patterns: add each in catalog order if the
    set stays valid (greedy; an exhaustive search is exponential in the catalog size)."""
    chosen: list[str] = []
    best: Resolution | None = None
    for entry in load_catalog().patterns:
        if not entry.available:
            continue
        try:
            best = api.resolve_selection([*chosen, entry.id], use_defaults=True)
        except MlsdError:
            continue
        chosen.append(entry.id)
    if best is None:
        raise SystemExit("no available pattern")
    return best


def bare_jinja_render(resolution: Resolution, project: Project) -> dict[str, bytes]:
    """The floor: the same template files through a plain Jinja2 loop, nothing else."""
    from mlsd import render

    root = paths.TEMPLATES_DIR
    catalog = load_catalog()
    context = build_context(catalog, resolution, project, root)
    env = render._environment.__wrapped__((root,))  # the same Jinja2 set-up, uncached
    out: dict[str, bytes] = {}
    for source in sources_for(catalog, resolution, root):
        for file in sorted((source.folder / "files").rglob("*")):
            if not file.is_file():
                continue
            rel = file.relative_to(root).as_posix()
            if rel.endswith(".j2"):
                out[rel] = env.get_template(rel).render(context).encode()
            else:
                out[rel] = file.read_bytes()
    return out


def report(rows: list[tuple[str, float]], floor: float) -> None:
    for label, seconds in rows:
        print(f"{label:<44} {seconds * 1000:9.1f} ms   {seconds / floor:5.2f}x floor")


def tmpdir() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="mlsd-bench-"))
