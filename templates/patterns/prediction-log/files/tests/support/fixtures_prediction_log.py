"""Fixture of the prediction-log pattern: every service a test starts logs its predictions to
this test session's own SQLite file, never to the shared default in the temporary folder (two
test runs at once, e.g. two checkouts or parallel CI jobs, would write one file)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_prediction_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Set `PREDICTION_LOG_URL` for this session unless it is set already (a test that needs
    another sink passes its own)."""
    if os.environ.get("PREDICTION_LOG_URL"):
        yield
        return
    path = tmp_path_factory.mktemp("prediction-log") / "prediction-log.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREDICTION_LOG_URL", f"sqlite:///{path}")
        yield
