"""model-load fixtures (a pytest plugin loaded by tests/conftest.py).

`delivery_env` puts the session's trained model into a model store (the registry layout:
`<store>/iris/<version>/{model.onnx,metadata.json}` and `<store>/iris/LATEST`) read through
`file://`, so every test that starts a service with `model_env` exercises the real fetch,
verify and cache path of `delivery/store.py`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def delivery_env(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    metadata = json.loads((trained_model / "metadata.json").read_text(encoding="utf-8"))
    store = tmp_path_factory.mktemp("model-store")
    model_root = store / metadata["name"]
    shutil.copytree(trained_model, model_root / metadata["version"])
    (model_root / "LATEST").write_text(metadata["version"] + "\n", encoding="utf-8")
    return {
        "MODEL_STORE_URL": store.resolve().as_uri(),
        "MODEL_CACHE_DIR": str(tmp_path_factory.mktemp("model-cache")),
    }
