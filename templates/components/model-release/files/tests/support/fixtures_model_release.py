"""model-release fixtures (a pytest plugin loaded by tests/conftest.py).

Services here load the version the store's `RELEASED` file names, so the session's model
store (model-load's `delivery_env`) releases its one version: every test that starts the
system as `make up` would (the load test, for one) gets a served model.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


@pytest.fixture(scope="session", autouse=True)
def released_session_model(delivery_env: dict[str, str]) -> None:
    store = Path(unquote(urlsplit(delivery_env["MODEL_STORE_URL"]).path)) / "iris"
    (store / "RELEASED").write_text((store / "LATEST").read_text(encoding="utf-8"))
