"""What `mlsd new` was asked to make, and which questions are still open for the terminal."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path

from mlsd.errors import MissingAnswersError


@dataclass(frozen=True)
class Request:
    """The answers of `mlsd new`, as options give them (and as `--answers` replays them)."""

    patterns: list[str] = field(default_factory=list)
    presets: list[str] = field(default_factory=list)
    name: str | None = None
    description: str | None = None
    use_defaults: bool = False
    asked: bool = False  # the guided flow asked something: show the plan and confirm it

    @property
    def has_selection(self) -> bool:
        return bool(self.patterns or self.presets)

    def command(self, path: Path) -> str:
        """The `mlsd new` command line that renders the same project without questions."""
        args = ["mlsd", "new", str(path)]
        args += [a for p in self.presets for a in ("--preset", p)]
        args += [a for p in self.patterns for a in ("--pattern", p)]
        if self.name:
            args += ["--name", self.name]
        if self.description:
            args += ["--description", self.description]
        if self.use_defaults:
            args.append("--defaults")
        return shlex.join(args)


def full_terminal() -> bool:
    """Cursor keys work: a real TERM (the caller already checked stdin/stdout are TTYs)."""
    return os.environ.get("TERM", "dumb") not in ("", "dumb")


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
