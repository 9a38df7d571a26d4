"""The resolver: every rule and every error, as a pure function over the real catalog."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mlsd.catalog import load_catalog
from mlsd.errors import MissingAnswersError, ResolutionError, UnknownEntryError, UsageError
from mlsd.resolver import REQUESTED, expand_presets, resolve


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# Every built-in pattern is available now; a pack may still declare a planned one. The test
# marks one pattern planned in a copy of the catalog.
PLANNED = "edge-prediction"


def with_planned(catalog, entry_id: str):
    entries = {**catalog.entries, entry_id: replace(catalog.entries[entry_id], status="planned")}
    return replace(catalog, entries=entries)


def res(catalog, *ids, defaults=True, planned=True):
    return resolve(catalog, list(ids), use_defaults=defaults, allow_planned=planned)


def test_explicit_complete_selection_needs_no_defaults(catalog):
    r = resolve(catalog, ["web-single", "model-in-image"])
    assert r.patterns == ("web-single", "model-in-image")
    assert r.reasons == {"web-single": REQUESTED, "model-in-image": REQUESTED}


def test_defaults_fill_topology_and_delivery(catalog):
    r = res(catalog, "asynchronous")
    assert r.patterns == ("web-single", "asynchronous", "model-in-image")
    assert "default online topology" in r.reasons["web-single"]
    assert "default model delivery" in r.reasons["model-in-image"]


def test_missing_answers_list_every_open_axis(catalog):
    with pytest.raises(MissingAnswersError) as info:
        resolve(catalog, ["model-load"])
    text = " ".join(info.value.details)
    assert "online topology" in text and "training" in text


def test_gateway_add_on_defaults_to_a_gateway_topology(catalog):
    r = res(catalog, "prediction-cache")
    assert "synchronous" in r.patterns
    assert "web-single" not in r.patterns


def test_gateway_add_on_with_web_single_is_refused_with_explanation(catalog):
    with pytest.raises(ResolutionError) as info:
        res(catalog, "web-single", "prediction-cache")
    assert "gateway" in info.value.message
    assert "synchronous" in (info.value.hint or "")


def test_ab_testing_with_web_single_names_all_in_one(catalog):
    with pytest.raises(ResolutionError) as info:
        res(catalog, "web-single", "online-ab-testing")
    assert "all-in-one" in info.value.message


def test_two_topologies_clash(catalog):
    with pytest.raises(ResolutionError) as info:
        res(catalog, "web-single", "synchronous")
    assert "web-single" in info.value.message and "synchronous" in info.value.message
    assert "choose one" in (info.value.hint or "")


def test_two_deliveries_clash(catalog):
    with pytest.raises(ResolutionError):
        res(catalog, "web-single", "model-in-image", "model-load")


def test_monitoring_pulls_in_prediction_log(catalog):
    r = res(catalog, "prediction-monitoring")
    assert r.reasons["prediction-log"] == "required by prediction-monitoring"


def test_search_needs_a_training_pattern(catalog):
    r = res(catalog, "parameter-architecture-search")
    assert "batch-training" in r.patterns
    with pytest.raises(MissingAnswersError):
        res(catalog, "parameter-architecture-search", defaults=False)


def test_training_to_serving_refuses_search(catalog):
    with pytest.raises(ResolutionError) as info:
        res(catalog, "training-to-serving", "parameter-architecture-search")
    assert "parameter-architecture-search" in info.value.message


def test_lifecycle_preset_expands(catalog):
    r = res(catalog, "train-then-serve")
    for pid in ("batch-training", "prediction-log", "prediction-monitoring", "web-single"):
        assert pid in r.patterns
    assert r.reasons["model-load"] == "implied by train-then-serve"
    assert r.reasons["batch-training"].startswith("default training")
    # the training axis stays open: pipeline-training serves as well
    assert "pipeline-training" in res(catalog, "train-then-serve", "pipeline-training").patterns


def test_two_lifecycles_clash(catalog):
    with pytest.raises(ResolutionError):
        res(catalog, "train-then-serve", "training-to-serving")


def test_batch_only_project_has_no_topology(catalog):
    r = res(catalog, "batch")
    assert not any(catalog.entries[p].axis == "online-topology" for p in r.patterns)
    assert "model-in-image" in r.patterns


def test_training_only_project(catalog):
    assert res(catalog, "batch-training").patterns == ("batch-training",)


def test_planned_pattern_is_a_clear_error(catalog):
    with pytest.raises(ResolutionError) as info:
        resolve(with_planned(catalog, PLANNED), [PLANNED], use_defaults=True)
    assert "not available yet" in info.value.message


def test_unknown_and_antipattern_ids(catalog):
    with pytest.raises(UnknownEntryError):
        res(catalog, "nope")
    with pytest.raises(UsageError) as info:
        res(catalog, "all-in-one")
    assert "antipattern" in info.value.message


def test_empty_selection(catalog):
    with pytest.raises(UsageError):
        res(catalog)


def test_order_and_result_do_not_depend_on_request_order(catalog):
    a = res(catalog, "asynchronous", "model-load")
    b = res(catalog, "model-load", "asynchronous")
    assert a.patterns == b.patterns
    assert list(a.patterns) == sorted(a.patterns, key=catalog.rank)


def test_presets_expand_before_patterns(catalog):
    ids = expand_presets(catalog, ["asynchronous"], ["minimal"])
    assert ids[-1] == "asynchronous" and ids[0] == "web-single"
    with pytest.raises(UnknownEntryError):
        expand_presets(catalog, [], ["nope"])


@pytest.mark.parametrize("pid", [e.id for e in load_catalog().patterns])
def test_every_pattern_resolves_alone_with_defaults(catalog, pid):
    r = res(catalog, pid)
    assert pid in r.patterns
