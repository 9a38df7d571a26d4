"""The example pattern pack (examples/house-pack) tested like a built-in pattern: rendered
with it, then every check of the matrix, the generated project's own suite included."""

from __future__ import annotations

from pathlib import Path

import pytest

# Every check of the matrix, collected again here against this module's `project` fixture.
from test_matrix import (  # noqa: F401
    test_compose_and_workflow_validate,
    test_dockerfiles_pass_hadolint,
    test_generated_project_own_tests_pass,
    test_kubernetes_objects_validate_offline,
    test_mlsd_check_finds_no_antipattern,
    test_no_leftover_template_markers,
    test_ruff_clean,
    test_yaml_toml_json_parse,
)

from mlsd import api, packs

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "house-pack"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pack") / "demo-app"
    packs.activate([str(EXAMPLE)])
    try:
        result = api.new_project(target, ["model-card", "prediction-log"], use_defaults=True)
    finally:
        packs.reset()  # other tests in this worker see the built-in catalog only
    assert "model-card" in result.resolution.patterns
    assert (target / "tests" / "test_model_card.py").is_file()
    return target
