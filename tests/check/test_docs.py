"""docs/rules.md is generated from the registry and must not be stale."""

from __future__ import annotations

from pathlib import Path

from mlsd.check.docs import render_rules_doc

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_rules_doc(), (
        "docs/rules.md is stale: run `python -m mlsd.check.docs > docs/rules.md`"
    )
