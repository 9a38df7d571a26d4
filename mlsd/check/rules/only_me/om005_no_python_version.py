"""OM005 no-python-version."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context


class NoPythonVersion(Rule):
    """
    ## What it does
    Fires when the repository has Python code but pins no Python version anywhere:
    `requires-python`, Poetry's `python`, `.python-version`, `runtime.txt`, `python=` in a
    conda environment, `python_requires` in setup.py/cfg, or a `FROM python:3.x` image.

    ## Why is this bad?
    Pickled models and many ML wheels depend on the interpreter version; "works on my
    machine" becomes "only works on my machine".

    ## Example
    ```toml
    [project]
    name = "churn"        # no requires-python
    ```

    ## How to fix
    Add `requires-python` (and a `.python-version`), and build from a versioned image
    (`mlsd add batch-training`).
    """

    code = "OM005"
    name = "no-python-version"
    family = "only-me"
    severity = Severity.INFO
    summary = "No Python version declared anywhere."

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.source_modules():
            return
        if ctx.named(".python-version", "runtime.txt", ".tool-versions"):
            return
        for data in ctx.pyprojects.values():
            if (data.get("project") or {}).get("requires-python"):
                return
            if ((data.get("tool") or {}).get("poetry") or {}).get("dependencies", {}).get("python"):
                return
        for rel in ctx.named(
            "setup.py", "setup.cfg", "environment.yml", "environment.yaml", "Pipfile", "conda.yaml"
        ):
            if re.search(r"python_requires|python_version|python\s*[=<>]", ctx.text(rel) or ""):
                return
        for df in ctx.dockerfiles.values():
            if any(re.match(r"(.*/)?python:\d", s.base) for s in df.stages):
                return
        yield self.finding(
            ctx.repo_anchor(), 1, "no Python version is declared", evidence="no-python-version"
        )
