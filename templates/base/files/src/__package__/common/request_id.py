"""`X-Request-ID`: taken from the request (when well-formed) or made, kept in a contextvar,
returned on every response and written to every log line of the request."""

from __future__ import annotations

import logging
import re
import secrets
import time
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # starlette is a serving dependency; workers import this module too
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER_KEY = REQUEST_ID_HEADER.lower().encode("latin-1")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
# Per request: did the endpoint write its own INFO line (e.g. "prediction")? A mutable dict,
# so a change made inside the endpoint is seen by the middleware whatever context it ran in.
_own_line: ContextVar[dict[str, bool] | None] = ContextVar("own_line", default=None)

_access_log = logging.getLogger("access")


def current_request_id() -> str | None:
    return request_id_var.get()


def new_request_id() -> str:
    """128 random bits as 32 hex digits (the form of `uuid4().hex`, in a third of its time)."""
    return secrets.token_hex(16)


def mark_logged() -> None:
    """The endpoint logged this request itself: the access line drops to DEBUG, so a
    prediction is one INFO line, not two."""
    state = _own_line.get()
    if state is not None:
        state["logged"] = True


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class RequestIdMiddleware:
    """Pure ASGI middleware: request id, one access log line and the request metrics."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        # (route, status) -> its request counter and latency histogram: `labels()` looks the
        # child up under a lock on every call; routes and statuses are few, so keep them
        self._series: dict[tuple[str, int], tuple[Any, Any]] = {}

    def _observe(self, route: str, status: int, elapsed: float) -> None:
        series = self._series.get((route, status))
        if series is None:
            from .metrics import LATENCY, REQUESTS  # late: workers import this module too

            series = (
                REQUESTS.labels(self.service, route, str(status)),
                LATENCY.labels(self.service, route),
            )
            self._series[(route, status)] = series
        series[0].inc()
        series[1].observe(elapsed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for key, value in scope.get("headers", []):
            if key == _HEADER_KEY:
                incoming = value.decode("latin-1")
                break
        request_id = incoming if incoming and _VALID_ID.match(incoming) else new_request_id()
        token = request_id_var.set(request_id)
        own_line = {"logged": False}
        own_token = _own_line.set(own_line)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != _HEADER_KEY]
                headers.append((_HEADER_KEY, request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_of(scope)
            self._observe(route, status, elapsed)
            # probes, scrapes, and requests whose endpoint wrote its own line
            quiet = route.startswith("/health/") or route == "/metrics" or own_line["logged"]
            level = logging.DEBUG if quiet else logging.INFO
            if _access_log.isEnabledFor(level):
                _access_log.log(
                    level,
                    "request",
                    extra={
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "route": route,
                        "status": status,
                        "latency_ms": round(elapsed * 1000, 3),
                    },
                )
            _own_line.reset(own_token)
            request_id_var.reset(token)
