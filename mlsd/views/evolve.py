"""What `mlsd add`, `remove`, `upgrade`, `status`, `resume` and `abort` print."""

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
    replace: list[str] | None = None,
) -> int:
    """Render and plan once, show the plan, then apply that same plan (unless ``dry_run``)."""
    from mlsd import api
    from mlsd.errors import EXIT_FINDINGS, EXIT_OK

    options = {"conflict_style": conflict, "allow_dirty": allow_dirty}
    if verb == "add":
        result = api.plan_add(path, patterns, replace=replace or (), **options)
    elif verb == "remove":
        result = api.plan_remove(path, patterns, **options)
    else:
        result = api.plan_upgrade(path, **options)
    if as_json:
        print_json((result if dry_run else result.apply()).to_dict())
    else:
        _show_merge(result, diff)
        if dry_run:
            console().print("[yellow]dry run:[/] nothing was written")
        else:
            _show_outcome(result.apply())
    return EXIT_FINDINGS if result.plan.has_conflicts and not dry_run else EXIT_OK


def adopt(path: Path, options: dict, dry_run: bool, diff: bool, as_json: bool) -> int:
    """`mlsd adopt`: the plan, then the same plan applied (unless ``dry_run``)."""
    from mlsd import api
    from mlsd.errors import EXIT_OK

    result = api.plan_adopt(path, **options)
    if as_json:
        print_json((result if dry_run else result.apply()).to_dict())
        return EXIT_OK
    _show_merge(result, diff)
    if dry_run:
        console().print("[yellow]dry run:[/] nothing was written")
    else:
        result.apply()
        console().print("[green]Done.[/] Recorded in .mlsd/; add patterns with `mlsd add`.")
    return EXIT_OK


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
        what = _to_resolve(result)
        con.print(
            f"[bold red]{len(result.plan.conflicts)} conflicts[/]: resolve the {what}, then run "
            "[bold]mlsd resume[/]; or undo the whole change with [bold]mlsd abort[/] "
            "(`mlsd status` lists what is left)"
        )
    else:
        con.print("[green]Done.[/] The recorded answers now include the change.")


def _to_resolve(result: EvolveResult) -> str:
    """What the user has to work through: markers in files, and/or sidecar files."""
    conflicts = [e for e in result.plan.entries if e.conflict_count]
    parts = []
    if any(e.sidecar_path is None for e in conflicts):
        parts.append("<<<<<<< markers")
    if any(e.sidecar_path for e in conflicts):
        parts.append("conflicting hunks in the .rej/.mlsd-new files (then delete those)")
    return " and the ".join(parts)


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
        if state.operation is not None:
            what = "interrupted" if state.interrupted else "waiting for its conflicts"
            con.print(f"[bold]in progress:[/] {state.operation.describe()} ({what})")
        for rel in state.conflicts:
            con.print(f"  [bold red]conflict[/] {rel}")
        for rel in state.resolved:
            con.print(f"  [green]resolved[/] {rel}")
        if state.interrupted:
            con.print("Run [bold]mlsd abort[/] to put the project back as it was before it.")
        elif state.conflicts:
            con.print(
                "Resolve the conflicts above, then run [bold]mlsd resume[/]; "
                "or undo the change with [bold]mlsd abort[/]."
            )
        elif state.resolved:
            con.print(
                "All conflicts are resolved: run [bold]mlsd resume[/] to finish "
                "(or [bold]mlsd abort[/] to undo the change)."
            )
        elif finish:
            con.print("[green]Finished:[/] the recorded answers are up to date.")
    return EXIT_FINDINGS if state.conflicts or state.interrupted else EXIT_OK


def abort(path: Path, as_json: bool) -> int:
    from mlsd import api

    done = api.abort(path)
    if as_json:
        print_json(done.to_dict())
    else:
        console().print(
            f"[green]Aborted[/] the {done.operation.describe()}: {len(done.restored)} files "
            "are back as they were before it."
        )
    return 0
