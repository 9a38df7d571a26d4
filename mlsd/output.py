"""Console output: rich for people, JSON for scripts. Honours NO_COLOR (rich does)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

_console: Console | None = None
_err_console: Console | None = None


def _make(stderr: bool) -> Console:
    """A rich console that never wraps what goes to a pipe or a file (diffs keep their
    `+`/`-` at the start of each line; tables are as wide as their content)."""
    import os

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr, highlight=False)
    width = int(os.environ.get("COLUMNS") or 0) or 10_000
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width)


def console() -> Console:
    global _console
    if _console is None:
        _console = _make(stderr=False)
    return _console


def err_console() -> Console:
    global _err_console
    if _err_console is None:
        _err_console = _make(stderr=True)
    return _err_console


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")


def print_error(message: str, hint: str | None = None, details: list[str] | None = None) -> None:
    from rich.markup import escape

    con = err_console()
    con.print(f"[bold red]error:[/] {escape(message)}")
    for line in details or []:
        con.print(f"  - {escape(line)}")
    if hint:
        con.print(f"[yellow]hint:[/] {escape(hint)}")
