"""The end of the guided flow: what the project runs, the same command without questions,
and the confirmation (the plan's files and patterns are printed by the `new` view)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlsd.output import console
from mlsd.prompts.request import Request


def runtime_parts(result: Any) -> tuple[list[str], list[str]]:
    """(services, backing servers) of a planned project, from its merged contributions."""
    from mlsd.catalog import load_catalog
    from mlsd.render import build_context

    merged = build_context(load_catalog(), result.resolution, result.project)["c"]
    return list(merged.get("services") or {}), list(merged.get("backing") or {})


def confirm_plan(path: Path, request: Request, result: Any, dry_run: bool) -> None:
    """Show services, backing servers and the replay command; cancel unless confirmed."""
    from rich.markup import escape

    services, backing = runtime_parts(result)
    con = console()
    con.print(f"[bold]Services:[/] {', '.join(services) or 'none (batch jobs only)'}")
    con.print(f"[bold]Backing servers:[/] {', '.join(backing) or 'none'}")
    # soft-wrapped: the command stays one line when copied from the terminal
    con.print(f"[bold]Without questions:[/] {escape(request.command(path))}", soft_wrap=True)
    if dry_run:
        return
    import mlsd.prompts.widgets as widgets
    from mlsd.prompts.cancel import cancel

    if not widgets.confirm("Render this project?"):
        cancel()
