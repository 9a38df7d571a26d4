"""edge-prediction renders its own pieces into shared files through `contributes:` only."""

from __future__ import annotations

import tomllib

import pytest
import yaml

from mlsd.catalog import load_catalog
from mlsd.render import Project, render_tree
from mlsd.resolver import resolve


def render(*ids: str) -> dict[str, bytes]:
    catalog = load_catalog()
    return render_tree(catalog, resolve(catalog, ids, use_defaults=True), Project("demo"))


@pytest.mark.parametrize(
    ("topology", "front"), [("web-single", "serving"), ("synchronous", "gateway")]
)
def test_the_public_service_offers_the_edge_folder(topology: str, front: str) -> None:
    tree = render(topology, "edge-prediction")
    compose = yaml.safe_load(tree["compose.yaml"])
    service = compose["services"][front]
    assert service["environment"]["EDGE_MODEL_DIR"] == "models/edge"
    assert service["volumes"] == ["./models/edge:/app/models/edge:ro"]
    patch = yaml.safe_load(tree["deploy/k8s/base/edge-patch.yaml"])
    assert patch["metadata"]["name"] == front
    assert "src/demo/routes/edge.py" in tree


def test_ci_builds_the_client_wheel_and_the_client_has_no_server_dependencies() -> None:
    tree = render("web-single", "edge-prediction")
    steps = yaml.safe_load(tree[".github/workflows/ci.yml"])["jobs"]["test"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "python -m pip wheel --no-deps -w dist edge-client" in runs
    client = tomllib.loads(tree["edge-client/pyproject.toml"].decode())
    names = sorted(dep.split("==")[0] for dep in client["project"]["dependencies"])
    assert names == ["numpy", "onnxruntime"]
    assert "src/demo_edge_client/update.py" in {p.removeprefix("edge-client/") for p in tree}


def test_edge_prediction_brings_a_training_pattern() -> None:
    catalog = load_catalog()
    patterns = resolve(catalog, ["edge-prediction"], use_defaults=True).patterns
    assert "batch-training" in patterns and "web-single" in patterns


def test_a_service_without_volumes_gets_none_in_compose() -> None:
    compose = yaml.safe_load(render("web-single")["compose.yaml"])
    assert "volumes" not in compose["services"]["serving"]
