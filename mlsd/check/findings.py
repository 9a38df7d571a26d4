"""The leaf of `mlsd check`: severities, findings, skipped files and fingerprints.

Everything else in the package may import this module; it imports nothing of the package
but the code table (`codes`, itself a leaf)."""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from mlsd.check.codes import fix_advice
from mlsd.errors import UsageError


class Severity(enum.IntEnum):
    """Ordered so that `severity >= threshold` means "at or above"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise UsageError(
                f"unknown severity '{value}'", hint="use one of: error, warning, info"
            ) from None


@dataclass
class Finding:
    """One thing a rule saw, with its evidence (a repository-relative posix path and line)."""

    code: str
    family: str
    severity: Severity
    message: str
    path: str
    line: int = 1
    column: int | None = None
    fix: tuple[str, ...] = ()
    evidence: str | None = None
    fingerprint: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "family": self.family,
            "severity": self.severity.label,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "fix": fix_advice(self.fix),
            "fingerprint": self.fingerprint,
        }


_WS = re.compile(r"\s+")


def normalise_evidence(text: str) -> str:
    return _WS.sub(" ", text).strip()


def compute_fingerprint(code: str, path: str, evidence: str, occurrence: int) -> str:
    key = f"{code}\x00{path}\x00{normalise_evidence(evidence)}\x00{occurrence}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]


@dataclass
class Skipped:
    path: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}
