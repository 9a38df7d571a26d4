"""`mlsd check` in a repository `mlsd adopt` made: advice that `mlsd add` can follow there.

After adopt, `mlsd add` takes only the adoptable patterns (those that stand in front of or
beside the user's own service), so a fix naming another one would be refused. A pattern
already in place in the adopted folder is not suggested again. A finding whose every fix is
in place says so and drops to info: the pattern in front of the user's service does what the
finding asks for (e.g. prediction-log logs every prediction at the gateway), so it informs
and no longer fails the check; its code, path and line stay as they were.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mlsd.check.base import Finding
from mlsd.check.findings import Severity


def _adoption(root: Path) -> tuple[set[str], str, set[str]] | None:
    """(patterns in place, the adopted folder, the adoptable patterns), or None when
    ``root`` was not adopted. Never fails a check: a damaged answers file means "not known"."""
    try:
        from mlsd.adopt.options import adopted
        from mlsd.adopt.resolve import adoptable
        from mlsd.catalog import load_catalog
        from mlsd.state import ANSWERS_FILE, read_answers

        if not (root / ANSWERS_FILE).is_file():
            return None
        answers = read_answers(root)
        recorded = adopted(answers)
        if recorded is None:
            return None
        in_place = set(answers.patterns) if (root / recorded.folder).is_dir() else set()
        return in_place, recorded.folder, set(adoptable(load_catalog()))
    except Exception:  # the answers are advice here; never fail a check on them
        return None


def adjust_fixes(root: Path, findings: list[Finding]) -> list[Finding]:
    """``findings`` with their fixes as `mlsd add` can take them in an adopted repository."""
    adoption = _adoption(root)
    if adoption is None:
        return findings
    in_place, folder, addable = adoption
    out = []
    for f in findings:
        done = [p for p in f.fix if p in in_place]
        fix = tuple(p for p in f.fix if p in addable and p not in in_place)
        if fix == f.fix:
            out.append(f)
        elif done and not fix:
            message = f"{f.message} (in front of it already: {', '.join(done)}, in {folder}/)"
            out.append(replace(f, fix=fix, message=message, severity=Severity.INFO))
        else:
            out.append(replace(f, fix=fix))
    return out
