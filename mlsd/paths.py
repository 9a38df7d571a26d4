"""Where mlsd finds its templates.

An installed mlsd (wheel, sdist, pipx, uv tool) carries them as the package data
`mlsd/templates`, read through importlib.resources. An editable install maps that package to
the checkout's top-level `templates/`, which is where a source checkout finds them too.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _templates_dir() -> Path:
    packaged = Path(str(files("mlsd") / "templates"))
    if (packaged / "catalog.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


TEMPLATES_DIR = _templates_dir()
PATTERNS_DIR = TEMPLATES_DIR / "patterns"
BASE_DIR = TEMPLATES_DIR / "base"
COMPONENTS_DIR = TEMPLATES_DIR / "components"
