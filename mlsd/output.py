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


# `mlsd list` prints with the helpers below, not rich: importing and laying out a rich
# table costs more than the whole start-up budget of the command.
_STYLES = {"bold": "1", "dim": "2", "green": "32", "heading": "1;4"}


def _styled(text: str, style: str) -> str:
    import os

    if not style or os.environ.get("NO_COLOR") or not sys.stdout.isatty():
        return text
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m"


def print_line(text: str) -> None:
    sys.stdout.write(text + "\n")


def print_columns(rows: list[tuple[str, str, str, str]]) -> None:
    """Rows of (id, status, status style, text); a row with only an id is a heading.

    Aligned columns; on a terminal the text wraps under itself, to a pipe it never wraps.
    """
    import shutil
    import textwrap

    items = [r for r in rows if r[1]]
    id_width = max((len(r[0]) for r in items), default=0)
    status_width = max((len(r[1]) for r in items), default=0)
    indent = id_width + status_width + 6
    width = shutil.get_terminal_size((0, 0)).columns if sys.stdout.isatty() else 0
    out = []
    for ident, status, style, text in rows:
        if not status:
            out.append(("\n" if out else "") + _styled(ident, "heading"))
            continue
        lines = textwrap.wrap(text, max(width - indent, 30)) if width else [text]
        head = f"  {ident:<{id_width}}  {_styled(f'{status:<{status_width}}', style)}  "
        out.append(head + (lines[0] if lines else ""))
        out += [" " * indent + line for line in lines[1:]]
    sys.stdout.write("\n".join(out) + "\n")
