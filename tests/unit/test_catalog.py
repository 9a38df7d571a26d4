"""The catalog: every spec id present, manifests well-formed, references valid."""

from __future__ import annotations

import pytest

from mlsd.catalog import load_catalog
from mlsd.errors import UnknownEntryError

SPEC_PATTERNS = """web-single synchronous asynchronous batch prep-pred microservice-vertical
microservice-horizontal prediction-cache data-cache prediction-circuit-break
multiple-stage-prediction serving-template edge-prediction shadow-ab-testing online-ab-testing
loading-test batch-training pipeline-training parameter-architecture-search model-in-image
model-load data-model-versioning prediction-log prediction-monitoring parameter-based-serving
condition-based-serving train-then-serve training-to-serving""".split()  # noqa: SIM905 - reads like the spec
SPEC_ANTIPATTERNS = """online-bigsize all-in-one offline-only only-me training-code-in-serving
too-many-pipes no-logging nobody-knows""".split()  # noqa: SIM905 - reads like the spec


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_spec_id_is_in_the_catalog(catalog):
    assert [e.id for e in catalog.patterns] == SPEC_PATTERNS
    assert [e.id for e in catalog.antipatterns] == SPEC_ANTIPATTERNS


def test_entries_are_complete(catalog):
    for entry in catalog.entries.values():
        assert entry.category in catalog.categories, entry.id
        assert entry.title and entry.summary and entry.when, entry.id
        assert entry.status in {"available", "planned"}, entry.id
        if entry.kind == "pattern":
            assert entry.adds, f"{entry.id} lists no components"


def test_references_point_at_known_ids(catalog):
    for entry in catalog.entries.values():
        for ref in (*entry.requires, *entry.conflicts, *entry.implies, *entry.fixed_by):
            assert ref in catalog.entries, f"{entry.id} refers to unknown {ref}"
        for axis in entry.requires_axes:
            assert axis in catalog.axes, f"{entry.id} needs unknown axis {axis}"
        if entry.axis:
            assert entry.axis in catalog.axes


def test_axis_defaults_are_members(catalog):
    for axis_id, axis in catalog.axes.items():
        for default in (axis.default, axis.gateway_default):
            if default:
                assert default in catalog.axis_members(axis_id)


def test_presets_name_known_patterns(catalog):
    assert "minimal" in catalog.presets
    assert {"train-then-serve-stack", "training-to-serving-stack"} <= set(catalog.presets)
    for preset in catalog.presets.values():
        for pid in preset.patterns:
            assert catalog.entries[pid].kind == "pattern"


def test_ids_are_unique_across_patterns_antipatterns_and_presets(catalog):
    assert not set(catalog.presets) & set(catalog.entries)


def test_preset_status_follows_its_patterns(catalog):
    assert catalog.presets["minimal"].status == "available"
    for preset in catalog.presets.values():
        available = all(catalog.entries[pid].available for pid in preset.patterns)
        assert preset.status == ("available" if available else "planned"), preset
        assert preset.to_dict()["status"] == preset.status
    assert catalog.presets["train-then-serve-stack"].status == "available"


def test_the_first_patterns_are_available(catalog):
    first = {"web-single", "synchronous", "asynchronous", "model-in-image", "model-load"}
    assert first | {"batch-training"} <= {e.id for e in catalog.patterns if e.available}


def test_unknown_id_suggests_close_matches(catalog):
    with pytest.raises(UnknownEntryError) as info:
        catalog.get("web-singel")
    assert "web-single" in (info.value.hint or "")


def test_generated_pattern_docs_are_fresh():
    from pathlib import Path

    from mlsd.docs import patterns_markdown

    committed = Path(__file__).parents[2] / "docs" / "patterns.md"
    assert committed.read_text() == patterns_markdown(), (
        "run: python -m mlsd.docs > docs/patterns.md"
    )


def test_readme_interaction_table_is_fresh():
    from pathlib import Path

    from mlsd.interactions import find_add_ons, interactions_markdown

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert interactions_markdown() in readme, "run: python -m mlsd.interactions (into README.md)"
    wrappers = [a.module for a in find_add_ons() if a.point == "wrappers"]
    # the order the call wrappers' notes promise: routing and shadow outside cache and breaker
    assert wrappers.index("prediction_cache") < wrappers.index("circuit_breaker")
    assert max(wrappers.index("ab_split"), wrappers.index("shadow")) < wrappers.index(
        "prediction_cache"
    )
    hooks = [a.module for a in find_add_ons() if a.point == "hooks"]
    assert hooks[-1] == "prediction_log", "the log must see the final answer"
