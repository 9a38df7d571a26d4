"""NK002 readme-missing-sections."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context
from mlsd.check.facts import headings

SECTIONS: dict[str, re.Pattern[str]] = {
    "purpose": re.compile(r"purpose|overview|about|introduction|description|goal|what", re.I),
    "model": re.compile(r"model", re.I),
    "data": re.compile(r"data", re.I),
    "how to run": re.compile(
        r"run|usage|getting started|quick ?start|how to|install|setup|develop", re.I
    ),
    "owners": re.compile(r"owner|maintainer|contact|team|author|support", re.I),
}


class ReadmeMissingSections(Rule):
    """
    ## What it does
    Fires when there is no README, or when its headings miss one of: purpose (overview /
    about), model, data, how to run (usage / getting started), owners (maintainers /
    contact).

    ## Why is this bad?
    A newcomer (or an on-call engineer) cannot tell what the system is for, which model and
    data it uses, how to run it, or whom to ask.

    ## Example
    ```markdown
    # churn-model
    pip install -r requirements.txt
    ```

    ## How to fix
    Add sections `## Purpose`, `## Model`, `## Data`, `## How to run`, `## Owners`
    (projects from `mlsd new` have them; the planned `data-model-versioning` pattern will
    document versions).
    """

    code = "NK002"
    name = "readme-missing-sections"
    family = "nobody-knows"
    severity = Severity.WARNING
    summary = "README is missing, or misses purpose / model / data / how to run / owners."
    default_enabled = False  # hygiene, not evidence of the antipattern

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.modules and not ctx.notebooks:
            return
        rel = ctx.readme
        if rel is None:
            yield self.finding(
                ctx.repo_anchor(), 1, "the repository has no README", evidence="no-readme"
            )
            return
        text = ctx.text(rel)
        if text is None:
            return
        found = headings(text)
        missing = [name for name, rx in SECTIONS.items() if not any(rx.search(h) for h in found)]
        if missing:
            yield self.finding(
                rel,
                1,
                f"README has no section on: {', '.join(missing)}",
                evidence=f"missing {' '.join(missing)}",
            )
