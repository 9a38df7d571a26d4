"""The interactive multi-select for `mlsd new` in a terminal.

The user picks patterns by number or id; the resolver then shows what it pulled in and
why ("because ..."), explains any clash and asks again, and a summary is confirmed.
"""

from __future__ import annotations

from rich.prompt import Confirm, Prompt

from mlsd.catalog import Catalog, load_catalog
from mlsd.errors import MlsdError, UsageError
from mlsd.output import console
from mlsd.resolver import REQUESTED, Resolution, resolve


def _menu(catalog: Catalog) -> list[str]:
    con = console()
    choices = [e.id for e in catalog.patterns if e.available]
    con.print("[bold]Which patterns should the project combine?[/]")
    for number, pid in enumerate(choices, start=1):
        entry = catalog.entries[pid]
        axis = f" [dim]({catalog.axes[entry.axis].title})[/]" if entry.axis else ""
        con.print(f"  [bold]{number:>2}[/] {pid}{axis}: {entry.summary}")
    return choices


def parse_selection(text: str, choices: list[str]) -> list[str]:
    """'1, 3 model-load' -> ids; numbers index `choices`, anything else must be an id."""
    picked = []
    for token in text.replace(",", " ").split():
        if token.isdigit():
            index = int(token)
            if not 1 <= index <= len(choices):
                raise UsageError(f"{token} is not in the list (1-{len(choices)})")
            picked.append(choices[index - 1])
        else:
            picked.append(token)
    if not picked:
        raise UsageError("choose at least one pattern")
    return list(dict.fromkeys(picked))


def _explain(resolution: Resolution) -> None:
    con = console()
    con.print("[bold]The project will combine:[/]")
    for pid in resolution.patterns:
        why = resolution.reasons[pid]
        because = "" if why == REQUESTED else f" [cyan]because[/] {why}"
        con.print(f"  - [bold]{pid}[/]{because}")


def choose_patterns(catalog: Catalog | None = None) -> list[str]:
    """The patterns the user asked for; what the resolver adds stays out (it is replayed by
    `--defaults`, so `.mlsd/answers.yaml` does not record defaults as requested)."""
    try:
        return _choose(catalog or load_catalog())
    except (EOFError, KeyboardInterrupt):
        from mlsd.prompts.cancel import cancel

        cancel()


def _choose(catalog: Catalog) -> list[str]:
    choices = _menu(catalog)
    con = console()
    while True:
        text = Prompt.ask("Patterns (numbers or ids, separated by spaces)")
        try:
            picked = parse_selection(text, choices)
            resolution = resolve(catalog, picked, use_defaults=True)
        except MlsdError as exc:
            con.print(f"[red]Not possible:[/] {exc.message}")
            if exc.hint:
                con.print(f"[yellow]Instead:[/] {exc.hint}")
            continue
        _explain(resolution)
        if Confirm.ask("Render this project?", default=True):
            return picked
        con.print("Choose again.")
