"""Where mlsd finds its templates.

An installed mlsd (wheel, sdist, pipx, uv tool) carries them as the package data
`mlsd/templates`, read through importlib.resources. An editable install maps that package to
the checkout's top-level `templates/`, which is where a source checkout finds them too.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _templates_dir() -> Path:
    packaged = _HERE / "templates"  # what importlib.resources gives for a package on disk
    if (packaged / "catalog.yaml").is_file():
        return packaged
    checkout = _HERE.parent / "templates"
    if (checkout / "catalog.yaml").is_file():
        return checkout
    from importlib.resources import files  # an unusual loader (e.g. a zip): ask it

    return Path(str(files("mlsd") / "templates"))


TEMPLATES_DIR = _templates_dir()
PATTERNS_DIR = TEMPLATES_DIR / "patterns"
BASE_DIR = TEMPLATES_DIR / "base"
COMPONENTS_DIR = TEMPLATES_DIR / "components"
