"""OM008 no-review-surface."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context
from mlsd.check.facts import ci_files, codeowners, pr_templates


class NoReviewSurface(Rule):
    """
    ## What it does
    Fires when the repository has code but no review surface at all: no CI configuration,
    no pull-request template and no CODEOWNERS.

    ## Why is this bad?
    Changes are made and shipped by one person with no automated check and no reviewer;
    knowledge of the system stays in one head.

    ## Example
    ```text
    repo/  train.py  app.py   # no .github/workflows, no CODEOWNERS
    ```

    ## How to fix
    Add a CI workflow that runs tests on pull requests and a CODEOWNERS file
    (`mlsd new` projects ship both; `mlsd add pipeline-training` puts training under CI).
    """

    code = "OM008"
    name = "no-review-surface"
    family = "only-me"
    severity = Severity.WARNING
    summary = "No CI, pull-request template or CODEOWNERS."
    default_enabled = False  # hygiene, not evidence of the antipattern

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.source_modules() and not ctx.notebooks:
            return
        if ci_files(ctx) or pr_templates(ctx) or codeowners(ctx):
            return
        yield self.finding(
            ctx.repo_anchor(),
            1,
            "no CI, pull-request template or CODEOWNERS",
            evidence="no-review-surface",
        )
