"""What `mlsd export copier` prints: the set, the template's files, how to use it (or JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mlsd.errors import UsageError
from mlsd.output import console, print_json

if TYPE_CHECKING:
    from mlsd.api import NewRequest


def export_copier(
    dest: Path, request: NewRequest, *, dry_run: bool, force: bool, as_json: bool
) -> None:
    from mlsd.export import plan_export

    if request.empty:
        raise UsageError(
            "no pattern chosen: an exported template holds one fixed combination",
            hint="pass --pattern ID (repeatable), --preset NAME or --answers FILE; "
            "add --defaults to fill the rest",
        )
    result = plan_export(dest, request, force=force)
    if not dry_run:
        result.apply()
    if as_json:
        print_json(result.to_dict())
        return
    con = console()
    con.print(f"[bold]Copier template[/] for {', '.join(result.resolution.patterns)}")
    templated = sum(1 for p in result.tree if p.endswith(".jinja"))
    removed = f", {len(result.stale)} of an earlier export removed" if result.stale else ""
    con.print(f"[bold]Files:[/] {len(result.tree)} ({templated} depend on the answers){removed}")
    if dry_run:
        con.print("[yellow]dry run:[/] nothing was written")
        return
    con.print(f"[green]Exported[/] {result.target}")
    con.print(
        f"Next: [bold]copier copy {dest} my-project[/]; to publish, commit it to git and tag "
        "a version (v1): projects made from it follow later tags with [bold]copier update[/]."
    )
