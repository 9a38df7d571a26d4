"""What `mlsd add`, `upgrade`, `status` and `resume` print: merge plans and outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mlsd.output import console, print_json

if TYPE_CHECKING:
    from mlsd.evolve import EvolveResult

ACTION_STYLE = {
    "create": "green",
    "update": "cyan",
    "merge": "cyan",
    "keep": "dim",
    "unchanged": "dim",
    "conflict": "bold red",
    "user-deleted": "yellow",
    "obsolete": "yellow",
}


def evolve(
    verb: str,
    path: Path,
    patterns: list[str],
    dry_run: bool,
    diff: bool,
    conflict: str,
    allow_dirty: bool,
    as_json: bool,
) -> int:
    """Render and plan once, show the plan, then apply that same plan (unless ``dry_run``)."""
    from mlsd import api
    from mlsd.errors import EXIT_FINDINGS, EXIT_OK

    if verb == "add":
        result = api.plan_add(path, patterns, conflict_style=conflict, allow_dirty=allow_dirty)
    else:
        result = api.plan_upgrade(path, conflict_style=conflict, allow_dirty=allow_dirty)
    if as_json:
        print_json((result if dry_run else result.apply()).to_dict())
    else:
        _show_merge(result, diff)
        if dry_run:
            console().print("[yellow]dry run:[/] nothing was written")
        else:
            _show_outcome(result.apply())
    return EXIT_FINDINGS if result.plan.has_conflicts and not dry_run else EXIT_OK


def _show_merge(result: EvolveResult, diff: bool) -> None:
    from rich.markup import escape

    con = console()
    for note in result.notes:
        con.print(f"[bold]{escape(note)}[/]")
    for entry in result.plan.entries:
        if entry.action.value == "unchanged":
            continue
        style = ACTION_STYLE.get(entry.action.value, "")
        message = f" [dim]{escape(entry.message)}[/]" if entry.message else ""
        con.print(f"  [{style}]{entry.action.value:>12}[/] {escape(entry.path)}{message}")
        if diff and entry.result is not None:
            con.print(escape(result.diff(entry)), end="")
    counts = ", ".join(f"{n} {a.value}" for a, n in result.plan.counts().items())
    con.print(f"[bold]Plan:[/] {counts or 'nothing to do'}")


def _show_outcome(result: EvolveResult) -> None:
    con = console()
    if result.pending:
        con.print(
            f"[bold red]{len(result.plan.conflicts)} conflicts[/]: resolve the markers, then run "
            "[bold]mlsd resume[/] (`mlsd status` lists what is left)"
        )
    else:
        con.print("[green]Done.[/] The recorded answers now include the change.")


def status(path: Path, as_json: bool, finish: bool) -> int:
    from mlsd import api
    from mlsd.errors import EXIT_FINDINGS, EXIT_OK

    state = api.resume(path) if finish else api.project_status(path)
    if as_json:
        print_json(state.to_dict())
    else:
        con = console()
        con.print(f"[bold]{state.answers.project['name']}[/] (mlsd {state.answers.mlsd_version})")
        con.print("patterns: " + ", ".join(state.answers.patterns))
        for rel in state.conflicts:
            con.print(f"  [bold red]conflict[/] {rel}")
        for rel in state.resolved:
            con.print(f"  [green]resolved[/] {rel}")
        if state.conflicts:
            con.print("Resolve the conflicts above, then run [bold]mlsd resume[/].")
        elif state.resolved:
            con.print("All conflicts are resolved: run [bold]mlsd resume[/] to finish.")
        elif finish:
            con.print("[green]Finished:[/] the recorded answers are up to date.")
    return EXIT_FINDINGS if state.conflicts else EXIT_OK
