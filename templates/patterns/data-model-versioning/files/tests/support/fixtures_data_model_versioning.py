"""data-model-versioning fixtures (a pytest plugin loaded by tests/conftest.py).

`mlflow_url`: one real MLflow tracking server for the session (or ``MLFLOW_TRACKING_URI``).
Tests that write to it use a registered model name of their own, so they never see each
other's versions.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.mlflow_server import mlflow_server


@pytest.fixture(scope="session")
def mlflow_url() -> Iterator[str]:
    with mlflow_server() as url:
        yield url
