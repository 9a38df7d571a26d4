"""NK005 no-review-gate."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of, has_production_manifests
from mlsd.check.context import Context
from mlsd.check.facts import pr_ci_files


class NoReviewGate(Rule):
    """
    ## What it does
    Fires when the repository holds production manifests (Kubernetes workloads, compose
    services) but no CI runs on pull requests (a GitHub workflow with `pull_request`, a
    GitLab merge-request pipeline, Jenkins, CircleCI...).

    ## Why is this bad?
    A change to what runs in production goes live without an automated check or a second
    pair of eyes; nobody knows what changed or why.

    ## Example
    ```yaml
    # .github/workflows/deploy.yml
    on: {push: {branches: [main]}}   # deploys, never validates a PR
    ```

    ## How to fix
    Add a CI workflow on `pull_request` that runs the tests and validates the manifests
    (projects from `mlsd new` ship one), and protect the main branch.
    """

    code = "NK005"
    name = "no-review-gate"
    family = "nobody-knows"
    severity = Severity.WARNING
    summary = "Production manifests with no CI on pull requests."
    fix = ("data-model-versioning",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        comps = components_of(ctx)
        if not has_production_manifests(ctx) or pr_ci_files(ctx):
            return
        manifests = sorted({o.path for o in [*comps.online_workloads, *comps.jobs]}) or sorted(
            ctx.compose_files
        )
        yield self.finding(
            manifests[0],
            1,
            "production manifests but no CI runs on pull requests",
            evidence="no-review-gate",
        )
