"""Load-test tasks of the A/B test's outcome endpoint: `POST /outcomes` for a random user.

Loaded by `loadtest/locustfile.py` (every `loadtest/tasks_*.py` is).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:
    from locust import HttpUser


def request_id() -> str:
    return f"loadtest-{uuid4().hex}"


def record_outcome(user: HttpUser) -> None:
    user_id = f"loadtest-user-{random.randrange(1000)}"
    body = {"user_id": user_id, "converted": random.random() < 0.3}
    with user.client.post(
        "/outcomes",
        json=body,
        headers={"X-Request-ID": request_id()},
        name="/outcomes",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
        elif not response.json().get("variant"):
            response.failure(f"no variant in the answer: {response.text[:200]}")


TASKS = {record_outcome: 1}
ENDPOINTS = ["POST /outcomes"]
