"""NK001 no-owner."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context
from mlsd.check.facts import codeowners


class NoOwner(Rule):
    """
    ## What it does
    Fires when the repository names no owner: no `CODEOWNERS` (root, `.github/`, `docs/`),
    `OWNERS`, `MAINTAINERS`, Backstage `catalog-info.yaml`, or `maintainers` in
    pyproject.toml.

    ## Why is this bad?
    When the model misbehaves at 3 a.m., nobody knows who can fix it, approve a rollback or
    answer what it was trained on.

    ## Example
    ```text
    repo/
      src/ ...        # no CODEOWNERS, no OWNERS, no maintainers
    ```

    ## How to fix
    Add a `CODEOWNERS` file (or `catalog-info.yaml`) naming the owning team
    (the planned `data-model-versioning` pattern will document ownership of models and
    data).
    """

    code = "NK001"
    name = "no-owner"
    family = "nobody-knows"
    severity = Severity.WARNING
    summary = "No owner metadata (CODEOWNERS, OWNERS, catalog-info, maintainers)."
    default_enabled = False  # hygiene, not evidence of the antipattern

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.modules and not ctx.notebooks:
            return
        if codeowners(ctx):
            return
        for data in ctx.pyprojects.values():
            if (data.get("project") or {}).get("maintainers"):
                return
        yield self.finding(
            ctx.repo_anchor(),
            1,
            "no owner metadata (CODEOWNERS, OWNERS, catalog-info.yaml)",
            evidence="no-owner",
        )
