"""What `mlsd new` was asked to make, and which questions are still open for the terminal."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path


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
