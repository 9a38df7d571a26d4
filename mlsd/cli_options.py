"""Option and argument declarations several commands share (ids completed from the catalog)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def _complete_patterns(incomplete: str) -> list[str]:
    """Shell completion: available pattern ids (the catalog is cached, so this is quick)."""
    from mlsd.catalog import load_catalog

    return [e.id for e in load_catalog().patterns if e.available and e.id.startswith(incomplete)]


def _complete_presets(incomplete: str) -> list[str]:
    from mlsd.catalog import load_catalog

    return [
        p.id for p in load_catalog().presets.values() if p.available and p.id.startswith(incomplete)
    ]


def _complete_ids(incomplete: str) -> list[str]:
    from mlsd.catalog import load_catalog

    catalog = load_catalog()
    return [i for i in [*catalog.order, *catalog.presets] if i.startswith(incomplete)]


def _ids(*flags: str, help: str, presets: bool = False) -> Any:
    """A repeatable option of catalog ids, completed from the catalog."""
    complete = _complete_presets if presets else _complete_patterns
    return typer.Option(*flags, help=help, autocompletion=complete)


def _pattern_args(help: str) -> Any:
    return typer.Argument(metavar="PATTERN...", help=help, autocompletion=_complete_patterns)


# Options that several commands share, declared once.
ProjectPath = Annotated[
    Path, typer.Option("--path", help="The project folder (default: the current one).")
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show the plan, write nothing.")]
ShowDiff = Annotated[bool, typer.Option("--diff", help="Show unified diffs.")]
ConflictStyle = Annotated[
    str, typer.Option("--conflict", help="Conflict markers inline, or .rej files.")
]
AllowDirty = Annotated[
    bool, typer.Option("--allow-dirty", help="Merge even with uncommitted git changes.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]

# The selection of patterns `mlsd new` and `mlsd export copier` share.
PatternIds = Annotated[
    list[str] | None, _ids("--pattern", "-p", help="A pattern id; repeat for more.")
]
PresetIds = Annotated[
    list[str] | None,
    _ids("--preset", help="A preset (see `mlsd list`); repeatable.", presets=True),
]
AnswersFile = Annotated[
    Path | None, typer.Option("--answers", help="YAML file with patterns/presets/name.")
]
UseDefaults = Annotated[
    bool, typer.Option("--defaults", help="Take the default for every open question.")
]
