"""What `mlsd new` prints: the plan, then the outcome (or JSON)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from mlsd.errors import MissingAnswersError
from mlsd.output import console, print_json

if TYPE_CHECKING:
    from mlsd.api import NewRequest, NewResult


def new_project(
    path: Path,
    request: NewRequest,
    *,
    dry_run: bool,
    force: bool,
    as_json: bool,
    interactive: bool,
) -> None:
    """Render once, show the plan, then write that same render (unless ``dry_run``)."""
    from mlsd import api

    if request.empty:
        request = _ask(request, interactive)
    if as_json:
        result = api.plan_new(path, request, force=force)
        print_json((result if dry_run else result.apply()).to_dict())
        return
    con = console()
    with con.status("Rendering…"):
        result = api.plan_new(path, request, force=force)
    show_plan(result)
    if dry_run:
        con.print("[yellow]dry run:[/] nothing was written")
        return
    with con.status("Writing…"):
        result.apply()
    con.print(f"[green]Created[/] {result.target} ({len(result.plan)} files).")
    con.print("Next: [bold]cd " + str(path) + " && make demo[/]  (see its README)")


def _ask(request: NewRequest, interactive: bool) -> NewRequest:
    """Nothing chosen by flags or answers file: ask in the terminal, or say what is missing."""
    if not interactive:
        raise MissingAnswersError(
            "no pattern chosen and no terminal to ask in",
            hint="pass --pattern ID (repeatable), --preset NAME or --answers FILE; "
            "add --defaults to fill the rest",
            details=["patterns: which patterns to combine (see `mlsd list`)"],
        )
    from mlsd.interactive import choose_patterns

    # The prompt already showed and confirmed every default.
    return replace(request, patterns=tuple(choose_patterns()), use_defaults=True)


def show_plan(result: NewResult) -> None:
    from collections import Counter

    con = console()
    con.print(f"[bold]Project[/] {result.project.name} in {result.target}")
    for pid in result.resolution.patterns:
        why = result.resolution.reasons[pid]
        con.print(f"  [bold]{pid}[/] [dim]({why})[/]")
    counts = Counter(f.action for f in result.plan)
    summary = ", ".join(f"{n} {a}" for a, n in sorted(counts.items()))
    con.print(f"[bold]Files:[/] {summary}")
    for f in result.plan:
        if f.action == "overwrite":  # --force: name every file of the user's it replaces
            con.print(f"  [yellow]overwrite[/] {f.path}")
