"""A real MLflow tracking server for tests (data-model-versioning).

`mlflow_server()` yields a tracking URI: ``MLFLOW_TRACKING_URI`` when set (an external server),
or a private ``mlflow server`` on a free loopback port with a SQLite backend and a local
artefact folder in a temporary directory, stopped on exit.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import free_port
from tests.support.servers import start_server

QUIET = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",  # no background job runner to start or stop
}


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def mlflow_server() -> Iterator[str]:
    if os.environ.get("MLFLOW_TRACKING_URI"):
        yield os.environ["MLFLOW_TRACKING_URI"]
        return
    pytest.importorskip("mlflow", reason="mlflow is not installed: pip install -e '.[dev]'")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="mlflow-") as tmp, pytest.MonkeyPatch.context() as env:
        for key, value in QUIET.items():
            env.setenv(key, value)
        cmd = [
            sys.executable, "-m", "mlflow", "server",
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
            "--backend-store-uri", f"sqlite:///{tmp}/mlflow.db",
            "--artifacts-destination", f"{tmp}/artefacts",
        ]  # fmt: skip
        # a cold start (database migrations) takes seconds, more on a loaded machine
        with start_server("mlflow", cmd, lambda: _healthy(url), cwd=Path(tmp), timeout=180):
            yield url
