"""The check verbs the CLI and tests call: run_check, list_rules, explain_rule, baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlsd.check.base import Report, Rule
from mlsd.check.engine import Options, run


def run_check(path: str | Path = ".", options: Options | None = None) -> Report:
    """Check a repository. Raises `mlsd.errors.UsageError` for bad input (exit 2)."""
    report, _cfg = run(Path(path), options)
    return report


def run_check_with_config(path: str | Path, options: Options | None = None):
    """Like run_check, also returning the effective configuration (for the CLI)."""
    return run(Path(path), options)


def write_baseline(path: str | Path, report: Report) -> int:
    from mlsd.check.baseline import write_baseline as _write

    return _write(Path(path), report.findings)


def list_rules() -> list[type[Rule]]:
    from mlsd.check.registry import all_rules

    return list(all_rules())


def explain_rule(code: str) -> dict[str, Any]:
    from mlsd.check.registry import get_rule

    return get_rule(code).info()


__all__ = ["Options", "explain_rule", "list_rules", "run_check", "write_baseline"]
