"""Conflicts with reasons: the manifest says why two patterns refuse each other; the resolver,
`mlsd show` and the README's topology table say the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.catalog import load_catalog
from mlsd.catalog_model import make_entry
from mlsd.errors import ResolutionError
from mlsd.interactions import topology_markdown
from mlsd.resolver import resolve

README = Path(__file__).parents[2] / "README.md"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_conflicts_may_be_a_mapping_of_reasons():
    base = {"id": "x", "category": "serving", "title": "X", "summary": "x"}
    listed = make_entry({**base, "conflicts": ["y"]}, None)
    reasoned = make_entry({**base, "conflicts": {"y": "both   route\n requests"}}, None)
    assert listed.conflicts == reasoned.conflicts == ("y",)
    assert listed.conflict_reason("y") is None
    assert reasoned.conflict_reason("y") == "both route requests"
    assert reasoned.to_dict()["conflict_reasons"] == {"y": "both route requests"}


def test_the_resolver_names_the_reason_whichever_side_declares_it(catalog):
    for order in (
        ["condition-based-serving", "online-ab-testing"],
        ["online-ab-testing", "condition-based-serving"],
    ):
        with pytest.raises(ResolutionError, match="one router") as refused:
            resolve(catalog, order, use_defaults=True)
        assert "condition-based-serving and online-ab-testing" in str(refused.value)


def test_clashes_are_seen_from_both_sides(catalog):
    assert dict(catalog.clashes("shadow-ab-testing"))["condition-based-serving"].startswith(
        "the shadow mirrors"
    )
    assert "shadow-ab-testing" in dict(catalog.clashes("condition-based-serving"))


def test_every_gateway_add_on_pair_with_a_topology_is_decided(catalog):
    """Each gateway add-on either works on each gateway topology (renders) or is refused with
    a reason: the table lists every pair and every refusal has its reason."""
    table = topology_markdown(catalog)
    topologies = [
        p
        for p in catalog.axis_members("online-topology")
        if catalog.entries[p].gateway and catalog.entries[p].available
    ]
    for add_on in (e.id for e in catalog.patterns if e.requires_gateway and e.available):
        row = next(line for line in table.splitlines() if line.startswith(f"| `{add_on}` |"))
        cells = [c.strip() for c in row.strip("|").split("|")][1:]
        assert len(cells) == len(topologies), row
        for topology, cell in zip(topologies, cells, strict=True):
            if cell == "works":
                resolve(catalog, [topology, add_on], use_defaults=True)
            else:
                assert cell.startswith("refused: ") and "see mlsd show" not in cell, cell
                with pytest.raises(ResolutionError, match="cannot be combined"):
                    resolve(catalog, [topology, add_on], use_defaults=True)


def test_readme_topology_table_is_fresh(catalog):
    assert topology_markdown(catalog) in README.read_text(encoding="utf-8"), (
        "run: python -m mlsd.interactions (the second table into README.md)"
    )
