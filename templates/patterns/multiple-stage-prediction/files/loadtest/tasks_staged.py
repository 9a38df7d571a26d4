"""Load-test tasks of the staged prediction: `POST /predict/staged`, then
`GET /predictions/{request_id}` of that request.

Loaded by `loadtest/locustfile.py` (every `loadtest/tasks_*.py` is). The heavy stage may
still be pending when it is read back; only a failed heavy stage or an unexpected status is
a failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:
    from locust import HttpUser

BODY = {
    "instances": [
        {
            "sepal_length_cm": 5.8,
            "sepal_width_cm": 2.7,
            "petal_length_cm": 4.1,
            "petal_width_cm": 1.0,
        }
    ]
}


def request_id() -> str:
    return f"loadtest-{uuid4().hex}"


def staged_then_read(user: HttpUser) -> None:
    rid = request_id()  # a staged request id is used once: a new one per request
    with user.client.post(
        "/predict/staged",
        json=BODY,
        headers={"X-Request-ID": rid},
        name="/predict/staged",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
            return
        if len(response.json().get("light", {}).get("predictions", [])) != 1:
            response.failure(f"expected one light prediction: {response.text[:200]}")
            return
    with user.client.get(
        f"/predictions/{rid}",
        headers={"X-Request-ID": request_id()},
        name="/predictions/{request_id}",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
        elif response.json().get("heavy", {}).get("status") not in ("pending", "done"):
            response.failure(f"the heavy stage of {rid} failed: {response.text[:200]}")


TASKS = {staged_then_read: 1}
ENDPOINTS = ["POST /predict/staged", "GET /predictions/{request_id}"]
