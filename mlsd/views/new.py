"""What `mlsd new` prints: the plan, then the outcome (or JSON)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from mlsd.output import console, print_json

if TYPE_CHECKING:
    from mlsd.api import NewRequest, NewResult
    from mlsd.prompts import Request


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

    request, asked = _ask_open(path, request, force=force, interactive=interactive)
    if as_json:
        result = api.plan_new(path, request, force=force)
        print_json((result if dry_run else result.apply()).to_dict())
        return
    con = console()
    with con.status("Rendering…"):
        result = api.plan_new(path, request, force=force)
    show_plan(result)
    if asked is not None and asked.asked:  # the guided flow: services, replay, confirmation
        from mlsd.prompts.plan import confirm_plan

        confirm_plan(path, asked, result, dry_run)
    if dry_run:
        con.print("[yellow]dry run:[/] nothing was written")
        return
    with con.status("Writing…"):
        result.apply()
    con.print(f"[green]Created[/] {result.target} ({len(result.plan)} files).")
    con.print("Next: [bold]cd " + str(path) + " && make demo[/]  (see its README)")


def _ask_open(
    path: Path, request: NewRequest, *, force: bool, interactive: bool
) -> tuple[NewRequest, Request | None]:
    """Ask in the terminal what the options left open (mlsd/prompts); without a terminal,
    refuse to guess. Returns the completed request and what the prompts recorded."""
    from mlsd.prompts import Request, ask_open

    asked = ask_open(
        path,
        Request(
            list(request.patterns),
            list(request.presets),
            request.name,
            request.description,
            request.use_defaults,
        ),
        force=force,
        interactive=interactive,
    )
    completed = replace(
        request,
        patterns=tuple(asked.patterns),
        presets=tuple(asked.presets),
        name=asked.name,
        description=asked.description,
        use_defaults=asked.use_defaults,
    )
    return completed, asked


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
