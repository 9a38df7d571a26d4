"""Three-way merge of rendered file trees, planned purely and applied atomically.

mlsd renders a project, the user edits it, and later mlsd renders it again (more patterns,
a newer mlsd). To bring the new render into the edited project without losing the user's
work, we merge per file with the *last render* as the merge base:

- ``base``:   what mlsd rendered last time (the exact merge base),
- ``theirs``: what mlsd renders now,
- ``ours``:   what is on disk now (the user's version).

A tree is a ``Mapping[str, bytes]`` from a posix relative path to file content. Only paths
in base or theirs are considered: files that mlsd never rendered belong to the user and
are never touched or listed.

`plan_merge` is pure (no I/O, deterministic): it returns a `MergePlan` with one
`PlanEntry` per path saying what to do and why. `apply_plan` then carries the plan out so
that it either fully happens or leaves the project byte-identical to before.

The package has four layers, each importing only the ones before it:

- `mlsd.merge.text`: line merge (diff3 hunks, conflict markers, ``.rej``, line endings);
- `mlsd.merge.structured`: TOML/YAML lists and pyproject requirement sets, parse checks;
- `mlsd.merge.plan`: the per-file plan (`plan_merge`, `MergePlan`, `Action`);
- `mlsd.merge.apply`: the atomic apply (staging, journal, rollback).
"""

from __future__ import annotations

from mlsd.merge.apply import apply_plan
from mlsd.merge.plan import Action, ConflictStyle, MergePlan, PlanEntry, plan_merge
from mlsd.merge.text import BASE_MARKER, END_MARKER, MID_MARKER, START_MARKER, unified_diff

__all__ = [
    "BASE_MARKER",
    "END_MARKER",
    "MID_MARKER",
    "START_MARKER",
    "Action",
    "ConflictStyle",
    "MergePlan",
    "PlanEntry",
    "apply_plan",
    "plan_merge",
    "unified_diff",
]
