"""MLS001 unused-suppression."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context


class UnusedSuppression(Rule):
    """
    ## What it does
    Reports `mlsd: ignore[...]` pragmas that suppress nothing: the code did not fire on that
    line (or in that file), or the code does not exist. Pragmas for rules that are not
    enabled in this run are not reported.

    ## Why is this bad?
    Stale suppressions hide future findings on that line and mislead readers into thinking
    there is a known problem there.

    ## Example
    ```python
    DATA = "/app/data.csv"  # mlsd: ignore[OM006]   <- nothing to suppress
    ```

    ## How to fix
    Delete the pragma, or correct the code it names.
    """

    code = "MLS001"
    name = "unused-suppression"
    family = "meta"
    severity = Severity.WARNING
    summary = "A suppression pragma that matches no finding."
    fix = ()

    @classmethod
    def fix_patterns(cls) -> tuple[str, ...]:
        return ()

    def check(self, ctx: Context) -> Iterator[Finding]:
        return iter(())  # the engine reports these after applying pragmas
