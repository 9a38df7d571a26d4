"""Load-test tasks of the job API: `POST /jobs`, then `GET /jobs/{id}` of that job.

Loaded by `loadtest/locustfile.py` (every `loadtest/tasks_*.py` is). A job may still be
pending when it is read back; only a failed job or an unexpected status is a failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

if TYPE_CHECKING:
    from locust import HttpUser

BODY = {
    "instances": [
        {
            "sepal_length_cm": 6.7,
            "sepal_width_cm": 3.0,
            "petal_length_cm": 5.2,
            "petal_width_cm": 2.3,
        }
    ]
}


def request_id() -> str:
    return f"loadtest-{uuid4().hex}"


def submit_and_poll(user: HttpUser) -> None:
    rid = request_id()
    with user.client.post(
        "/jobs",
        json=BODY,
        headers={"X-Request-ID": rid},
        name="/jobs",
        catch_response=True,
    ) as response:
        if response.status_code != 202:
            response.failure(f"expected 202, got {response.status_code}: {response.text[:200]}")
            return
        job_id = response.json().get("job_id")
        if not job_id:
            response.failure(f"no job_id in the answer: {response.text[:200]}")
            return
    with user.client.get(
        f"/jobs/{job_id}",
        headers={"X-Request-ID": request_id()},
        name="/jobs/{id}",
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"expected 200, got {response.status_code}: {response.text[:200]}")
        elif response.json().get("status") not in ("pending", "done"):
            response.failure(f"job {job_id} failed: {response.text[:200]}")


TASKS = {submit_and_poll: 1}
ENDPOINTS = ["POST /jobs", "GET /jobs/{id}"]
