"""Every rule's pass/fail cases (mlsd/check/rules/<family>/cases/<CODE>.yaml), one test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import mlsd.check.rules as rules_pkg
from mlsd.check.api import run_check
from mlsd.check.engine import Options
from tests.check.conftest import build_tree

CASES = sorted(Path(rules_pkg.__file__).parent.glob("*/cases/*.yaml"))


def _params():
    for path in CASES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            slug = re.sub(r"[^a-z0-9]+", "-", case["name"].lower()).strip("-")[:40]
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{i}-{slug}")


@pytest.mark.parametrize(("code", "case"), list(_params()))
def test_rule_case(code: str, case: dict, tmp_path: Path) -> None:
    files = dict(case["files"])
    if "config" in case:
        files[".mlsd.yml"] = yaml.safe_dump(case["config"])
    build_tree(tmp_path, files)
    report = run_check(tmp_path, Options(select=[code]))
    failures = [s for s in report.skipped if s.reason.startswith("rule ")]
    assert not failures, failures
    got = sorted(f"{f.path}:{f.line}" for f in report.findings if f.code == code)
    if case["fires"]:
        assert got, f"{code} should fire: {case['name']}"
        if "expect" in case:
            assert got == sorted(case["expect"]), [f.message for f in report.findings]
        if "severity" in case:  # info never fails a run, so the level is part of the case
            levels = {f.severity.label for f in report.findings if f.code == code}
            assert levels == {case["severity"]}, [f.message for f in report.findings]
    else:
        assert got == [], [f"{f.path}:{f.line} {f.message}" for f in report.findings]
