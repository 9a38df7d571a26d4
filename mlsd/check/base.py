"""The Rule base class and the Report of a run (findings come from `findings`)."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mlsd.check.codes import family_fixes, fix_advice
from mlsd.check.context import Context
from mlsd.check.findings import (
    Finding,
    Severity,
    Skipped,
    compute_fingerprint,
    normalise_evidence,
)

__all__ = [
    "DOC_HEADINGS",
    "Finding",
    "Report",
    "Rule",
    "RuleDoc",
    "Severity",
    "Skipped",
    "compute_fingerprint",
    "normalise_evidence",
    "parse_doc",
]


DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "How to fix")


@dataclass(frozen=True)
class RuleDoc:
    what: str
    why: str
    example: str
    fix: str


def parse_doc(doc: str) -> dict[str, str]:
    """Split a rule docstring into its `## Heading` sections."""
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for raw in inspect.cleandoc(doc or "").splitlines():
        if raw.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = raw[3:].strip(), []
        elif current is not None:
            lines.append(raw)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


class Rule:
    """Base class. Subclasses set the class attributes and implement `check`.

    The class docstring is the user documentation, under the fixed headings in
    `DOC_HEADINGS` (what it does / why is this bad / example / how to fix).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    family: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str]
    #: patterns that fix it; empty means "the family's `fixed_by` from the catalog"
    fix: ClassVar[tuple[str, ...]] = ()
    #: off unless selected explicitly (by code, prefix or ALL)
    default_enabled: ClassVar[bool] = True

    def check(self, ctx: Context) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- helpers -------------------------------------------------------------------
    def finding(
        self,
        path: str,
        line: int,
        message: str,
        *,
        column: int | None = None,
        evidence: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            family=self.family,
            severity=severity or self.severity,
            message=message,
            path=path,
            line=max(1, int(line or 1)),
            column=column,
            fix=self.fix_patterns(),
            evidence=evidence,
        )

    @classmethod
    def fix_patterns(cls) -> tuple[str, ...]:
        if cls.fix:
            return cls.fix
        return family_fixes(cls.family)

    @classmethod
    def doc(cls) -> dict[str, str]:
        return parse_doc(cls.__doc__ or "")

    @classmethod
    def info(cls) -> dict[str, Any]:
        doc = cls.doc()
        return {
            "code": cls.code,
            "name": cls.name,
            "family": cls.family,
            "severity": cls.severity.label,
            "summary": cls.summary,
            "default_enabled": cls.default_enabled,
            "fix": fix_advice(cls.fix_patterns()),
            "what": doc.get("What it does", ""),
            "why": doc.get("Why is this bad?", ""),
            "example": doc.get("Example", ""),
            "how_to_fix": doc.get("How to fix", ""),
        }


@dataclass
class Report:
    root: str
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    suppressed: int = 0
    baselined: int = 0
    files_checked: int = 0
    rules: list[type[Rule]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for f in self.findings:
            out[f.severity.label] += 1
        return out

    def statistics(self) -> list[dict[str, Any]]:
        by: dict[str, list[Finding]] = {}
        for f in self.findings:
            by.setdefault(f.code, []).append(f)
        rows = []
        for code, items in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            rule = next((r for r in self.rules if r.code == code), None)
            rows.append(
                {
                    "code": code,
                    "name": rule.name if rule else "",
                    "severity": items[0].severity.label,
                    "count": len(items),
                }
            )
        return rows

    def exit_code(self, fail_on: Severity = Severity.WARNING) -> int:
        return 1 if any(f.severity >= fail_on for f in self.findings) else 0

    def iter_sorted(self) -> Iterator[Finding]:
        yield from sorted(self.findings, key=lambda f: (f.path, f.line, f.column or 0, f.code))
