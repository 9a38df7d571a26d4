"""Load-test tasks of the edge model endpoint: `GET /edge/model`, then the model file it
names (what a device's update check does).

Loaded by `loadtest/locustfile.py` (every `loadtest/tasks_*.py` is). Before the first export
(`python -m <package>.edge export`) the service answers 404 "no edge model exported yet" (with
a lifecycle pattern: "nothing released yet", or the released version "has no edge export
yet"): those answers are correct, so they are not failures, and there is nothing to download.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:
    from locust import HttpUser

# The documented 404 answers while there is no model for devices yet.
NOT_YET = ("no edge model exported yet", "nothing released yet", "has no edge export yet")


def request_id() -> str:
    return f"loadtest-{uuid4().hex}"


def check_and_download(user: HttpUser) -> None:
    with user.client.get(
        "/edge/model",
        headers={"X-Request-ID": request_id()},
        name="/edge/model",
        catch_response=True,
    ) as response:
        if response.status_code == 404 and any(text in response.text for text in NOT_YET):
            response.success()
            return
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
            return
        current = response.json()
    with user.client.get(
        current["download"],
        headers={"X-Request-ID": request_id()},
        name="/edge/model/{version}/model.onnx",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
        elif current.get("size_bytes") not in (None, len(response.content)):
            response.failure(f"expected {current['size_bytes']} bytes, got {len(response.content)}")


TASKS = {check_and_download: 1}
ENDPOINTS = ["GET /edge/model"]
