"""Inline suppression: `# mlsd: ignore[CODE, ...]` on the line of a finding, or
`# mlsd: ignore-file[CODE]` anywhere in the file. Any comment style works (`#`, `<!-- -->`).
A bare `mlsd: ignore` matches every code on that line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PRAGMA = re.compile(r"mlsd:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[A-Za-z0-9_,\s]*)\])?")


@dataclass
class Pragma:
    path: str
    line: int
    codes: tuple[str, ...]  # empty: every code
    whole_file: bool
    used: set[str] = field(default_factory=set)

    def matches(self, code: str, line: int) -> str | None:
        """The pragma token that matches (or None)."""
        if not self.whole_file and line != self.line:
            return None
        if not self.codes:
            return "*"
        for token in self.codes:
            if code.startswith(token):
                return token
        return None


def find_pragmas(path: str, text: str) -> list[Pragma]:
    if "mlsd:" not in text:
        return []
    out: list[Pragma] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if "mlsd:" not in line:
            continue
        for m in PRAGMA.finditer(line):
            raw = m.group("codes")
            codes = tuple(c.strip().upper() for c in (raw or "").split(",") if c.strip())
            out.append(Pragma(path, n, codes, bool(m.group("file"))))
    return out
