"""Load-test tasks of the runtime parameters: `GET /parameters` (the values in force).

Loaded by `loadtest/locustfile.py` (every `loadtest/tasks_*.py` is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:
    from locust import HttpUser


def request_id() -> str:
    return f"loadtest-{uuid4().hex}"


def read_parameters(user: HttpUser) -> None:
    with user.client.get(
        "/parameters",
        headers={"X-Request-ID": request_id()},
        name="/parameters",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
        elif "predictions_enabled" not in response.json().get("parameters", {}):
            response.failure(f"no parameters in the answer: {response.text[:200]}")


TASKS = {read_parameters: 1}
ENDPOINTS = ["GET /parameters"]
