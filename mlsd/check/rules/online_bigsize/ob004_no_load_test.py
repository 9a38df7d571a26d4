"""OB004 no-load-test."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.components import components_of
from mlsd.check.context import Context
from mlsd.check.facts import load_test_files


class NoLoadTest(Rule):
    """
    ## What it does
    Fires when the repository has an online serving unit but no load test: no
    `locustfile.py`, k6 script, JMeter plan, Vegeta target, artillery config or `loadtest/`
    folder.

    ## Why is this bad?
    Nobody knows how many requests per second the model sustains or at what latency; the
    first real traffic spike is the load test.

    ## Example
    ```text
    src/serving/app.py   # no loadtest/, no locustfile.py
    ```

    ## How to fix
    Add a load test and run it against every release candidate (`mlsd add loading-test`).
    """

    code = "OB004"
    name = "no-load-test"
    family = "online-bigsize"
    severity = Severity.INFO
    summary = "An online service with no load test."
    fix = ("loading-test",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        serving = components_of(ctx).serving
        if not serving or load_test_files(ctx):
            return
        path, line = serving[0].anchor(ctx)
        yield self.finding(
            path, line, "online service has no load test (locust, k6, ...)", evidence="no-load-test"
        )
