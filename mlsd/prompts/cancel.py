"""Ctrl-C (or a "no") at any question: nothing is written and the exit code is 130."""

from __future__ import annotations

import sys
from typing import NoReturn

EXIT_CANCELLED = 130  # what a shell reports after Ctrl-C


def cancel() -> NoReturn:
    import typer

    sys.stderr.write("cancelled: nothing was written\n")
    raise typer.Exit(EXIT_CANCELLED)
