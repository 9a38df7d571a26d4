"""Prometheus metrics shared by every service (one registry per process)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

if TYPE_CHECKING:
    from starlette.responses import Response

REQUESTS = Counter(
    "http_requests_total", "HTTP requests by route and status", ["service", "route", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route",
    ["service", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
PREDICTIONS = Counter("predictions_total", "Predictions by predicted label", ["service", "label"])
PREDICTION_HOOK_ERRORS = Counter(
    "prediction_hook_errors_total",
    "Prediction hooks that failed (the answer was sent without their change)",
    ["service", "hook", "stage"],
)


def metrics_response() -> Response:
    # Imported here: workers count metrics too (prediction hooks) but have no web framework.
    from starlette.responses import Response

    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
