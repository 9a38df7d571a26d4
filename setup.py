"""Package list only; everything else is in pyproject.toml.

`templates/` stays at the top of the checkout and ships as `mlsd.templates` (mapped in
`[tool.setuptools.package-dir]`), which discovery under `mlsd/` cannot see, so it is named
here with its folders (listing them keeps setuptools from warning about each one).
"""

from setuptools import find_namespace_packages, setup

OWN = find_namespace_packages(include=["mlsd", "mlsd.*"], exclude=["*.__pycache__"])
TEMPLATES = [
    "mlsd.templates",
    *(f"mlsd.templates.{p}" for p in find_namespace_packages(where="templates")),
]

setup(packages=[*OWN, *TEMPLATES])
