"""OM004 unpinned-dependencies."""

from __future__ import annotations

from collections.abc import Iterator

from mlsd.check.base import Finding, Rule, Severity
from mlsd.check.context import Context, is_test_path
from mlsd.check.facts import lock_files, pyproject_requirements, requirements_file


class UnpinnedDependencies(Rule):
    """
    ## What it does
    Fires once per dependency file (requirements*.txt, pyproject.toml) that has unpinned
    dependencies (no `==`) when the repository has no lock file (poetry.lock, uv.lock,
    pdm.lock, Pipfile.lock, conda-lock, a constraints file).

    ## Why is this bad?
    Every install resolves to whatever is newest that day; training and serving drift
    apart and last month's model cannot be rebuilt.

    ## Example
    ```text
    scikit-learn>=1.0
    pandas
    ```

    ## How to fix
    Pin exact versions (`scikit-learn==1.5.0`) or commit a lock file; keep
    `requires-python` (`mlsd add batch-training` generates pinned dependencies).
    """

    code = "OM004"
    name = "unpinned-dependencies"
    family = "only-me"
    severity = Severity.INFO  # hygiene: a risk to reproducibility, not proof of it
    summary = "Unpinned dependencies and no lock file."

    def check(self, ctx: Context) -> Iterator[Finding]:
        if lock_files(ctx):
            return
        sources = {
            f.rel: requirements_file(ctx, f.rel)
            for f in ctx.by_kind["requirements"]
            if not is_test_path(f.rel)
        }
        sources.update(pyproject_requirements(ctx))
        for rel, reqs in sorted(sources.items()):
            loose = [r for r in reqs if r.path == rel and not r.pinned]
            if loose:
                names = ", ".join(r.name for r in loose[:5]) + (" ..." if len(loose) > 5 else "")
                yield self.finding(
                    rel,
                    loose[0].line,
                    f"{len(loose)} unpinned dependencies and no lock file: {names}",
                )
