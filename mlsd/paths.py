"""Where mlsd finds its templates (source checkout or editable install)."""

from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
PATTERNS_DIR = TEMPLATES_DIR / "patterns"
BASE_DIR = TEMPLATES_DIR / "base"
COMPONENTS_DIR = TEMPLATES_DIR / "components"
