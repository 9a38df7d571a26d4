"""Load-test tasks of the prediction API: `POST /predict` with one valid flower.

Loaded by `loadtest/locustfile.py` (every `loadtest/tasks_*.py` is); the host is the public
entry point (the API of web-single, the gateway of the synchronous pattern).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:
    from locust import HttpUser

BODY = {
    "instances": [
        {
            "sepal_length_cm": 5.1,
            "sepal_width_cm": 3.5,
            "petal_length_cm": 1.4,
            "petal_width_cm": 0.2,
        }
    ]
}


def request_id() -> str:
    return f"loadtest-{uuid4().hex}"


def predict(user: HttpUser) -> None:
    rid = request_id()
    with user.client.post(
        "/predict",
        json=BODY,
        headers={"X-Request-ID": rid},
        name="/predict",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
        elif response.headers.get("X-Request-ID") != rid:
            response.failure("the answer does not carry the request id")
        elif len(response.json().get("predictions", [])) != 1:
            response.failure(f"expected one prediction: {response.text[:200]}")


TASKS = {predict: 3}
ENDPOINTS = ["POST /predict"]
