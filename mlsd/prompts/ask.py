"""`ask_open`: the one entry point of the guided `mlsd new` (called by the `new` view)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mlsd.errors import MissingAnswersError
from mlsd.prompts.request import Request, full_terminal


def ask_open(path: Path, request: Request, *, force: bool, interactive: bool) -> Request:
    """Ask in the terminal only what `request` leaves open; without one, refuse to guess.

    - no TTY: the patterns must be given (the error names the options);
    - a TTY without cursor keys (TERM=dumb): the numbered prompt, for the patterns only;
    - a full terminal: the guided flow (mlsd/prompts/flow.py) for whatever is open.
    The target is checked before the first question, so nobody answers for nothing.
    """
    if not interactive:
        if not request.has_selection:
            raise MissingAnswersError(
                "no pattern chosen and no terminal to ask in",
                hint="pass --pattern ID (repeatable), --preset NAME or --answers FILE; "
                "add --defaults to fill the rest",
                details=["patterns: which patterns to combine (see `mlsd list`)"],
            )
        return request
    if not full_terminal():
        if request.has_selection:
            return request
        from mlsd.api import check_target
        from mlsd.interactive import choose_patterns

        check_target(path, force)
        return replace(request, patterns=choose_patterns(), use_defaults=True)
    from mlsd.prompts.flow import run

    return run(path, request, force=force)
