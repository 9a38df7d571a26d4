"""OM003 no-dependency-declaration."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context

DECLARATIONS = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "environment.yml",
    "environment.yaml",
    "conda.yaml",
    "conda.yml",
)


class NoDependencyDeclaration(Rule):
    """
    ## What it does
    Fires when the repository has Python code or notebooks but declares no dependencies:
    no requirements file, pyproject.toml, setup.py/cfg, Pipfile or conda environment.

    ## Why is this bad?
    The code only runs in the author's environment; nobody else can install it, and the
    training result cannot be reproduced.

    ## Example
    ```text
    train.py  serve.py   # imports pandas, sklearn, fastapi; nothing declares them
    ```

    ## How to fix
    Declare dependencies in pyproject.toml (pinned, with `requires-python`) or a pinned
    requirements file (`mlsd add batch-training` generates one per role).
    """

    code = "OM003"
    name = "no-dependency-declaration"
    family = "only-me"
    severity = Severity.ERROR
    summary = "Python code but no dependency declaration."

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.source_modules() and not ctx.notebooks:
            return
        if ctx.by_kind["requirements"] or ctx.named(*DECLARATIONS):
            return
        yield self.finding(
            ctx.repo_anchor(),
            1,
            "no dependency declaration (requirements, pyproject.toml, environment.yml)",
            evidence="no-deps",
        )
