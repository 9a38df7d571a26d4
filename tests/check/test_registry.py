"""Every rule is coded, documented under the fixed headings, and has cases both ways."""

from __future__ import annotations

from pathlib import Path

import yaml

import mlsd.check.rules as rules_pkg
from mlsd.check.base import DOC_HEADINGS, Severity
from mlsd.check.codes import FAMILIES, family_of
from mlsd.check.registry import RULE_MODULES, all_rules

CASES_ROOT = Path(rules_pkg.__file__).parent


def test_every_rule_has_code_family_and_docs() -> None:
    rules = all_rules()
    assert len(rules) == len(RULE_MODULES)
    families = {fam for fam, _ in FAMILIES.values()}
    for rule in rules:
        assert family_of(rule.code) == rule.family, rule.code
        assert rule.family in families
        assert isinstance(rule.severity, Severity)
        assert rule.name and rule.summary
        doc = rule.doc()
        for heading in DOC_HEADINGS:
            assert doc.get(heading), f"{rule.code} lacks '## {heading}'"


def test_rule_lives_in_its_family_folder_and_file_is_named_by_code() -> None:
    for rule in all_rules():
        module = rule.__module__.split(".")
        prefix = rule.code.rstrip("0123456789")
        assert module[-2] == FAMILIES[prefix][1]
        assert module[-1].startswith(rule.code.lower() + "_")


def test_every_rule_has_firing_and_non_firing_cases() -> None:
    for rule in all_rules():
        folder = FAMILIES[rule.code.rstrip("0123456789")][1]
        path = CASES_ROOT / folder / "cases" / f"{rule.code}.yaml"
        assert path.is_file(), f"missing {path}"
        data = yaml.safe_load(path.read_text())
        assert data["rule"] == rule.code
        outcomes = {bool(c["fires"]) for c in data["cases"]}
        assert outcomes == {True, False}, f"{rule.code} needs a firing and a non-firing case"


def test_every_family_has_a_default_rule_and_fix_patterns() -> None:
    rules = all_rules()
    for _prefix, (family, _folder) in FAMILIES.items():
        members = [r for r in rules if r.family == family]
        assert any(r.default_enabled for r in members), family
        if family != "meta":
            assert all(r.fix_patterns() for r in members), family


def test_fix_advice_names_only_available_patterns() -> None:
    """`mlsd add X` only for X the catalog can render today; planned ones say so."""
    import re

    from mlsd.catalog import load_catalog

    status = {e.id: e.status for e in load_catalog().entries.values()}
    for rule in all_rules():
        for pattern in rule.fix_patterns():
            assert pattern in status, (rule.code, pattern)
        for advice in rule.info()["fix"]:
            m = re.fullmatch(r"mlsd add ([a-z-]+)", advice)
            if m:
                assert status[m.group(1)] == "available", (rule.code, advice)
            else:
                pattern = advice.removesuffix(" (planned)")
                assert advice.endswith(" (planned)") and status[pattern] == "planned", advice
        how = " ".join(rule.doc()["How to fix"].split())
        for named in re.findall(r"mlsd add ([a-z-]+)", how):
            assert status[named] == "available", (rule.code, named)
