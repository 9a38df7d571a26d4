"""Load-test tasks of the data cache: `POST /predict/by-id` for a random seeded entity.

Loaded by `loadtest/locustfile.py` (every `loadtest/tasks_*.py` is). The entities are the
ones `python -m <package>.features seed` writes (`iris-000` ... `iris-149`), so seed the
feature store of the system under load first; a 404 (unknown entity) is a failure.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:
    from locust import HttpUser

SEEDED_ENTITIES = 150


def request_id() -> str:
    return f"loadtest-{uuid4().hex}"


def predict_by_id(user: HttpUser) -> None:
    rid = request_id()
    entity = f"iris-{random.randrange(SEEDED_ENTITIES):03d}"
    with user.client.post(
        "/predict/by-id",
        json={"entity_id": entity},
        headers={"X-Request-ID": rid},
        name="/predict/by-id",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
        elif response.json().get("entity_id") != entity:
            response.failure(f"the answer is not about {entity}: {response.text[:200]}")
        elif len(response.json().get("predictions", [])) != 1:
            response.failure(f"expected one prediction: {response.text[:200]}")


TASKS = {predict_by_id: 2}
ENDPOINTS = ["POST /predict/by-id"]
