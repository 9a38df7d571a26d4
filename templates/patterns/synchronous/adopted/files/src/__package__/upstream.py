"""The one HTTP client to the upstream (the repository's model service), schema-agnostic.

It posts the JSON body as it is with the request id header and returns the answer. Failures
become `UpstreamError` with the bounded status the gateway answers with: a timeout is 504, an
unreachable or failing (5xx) upstream 503, an answer that is not JSON 502. A 4xx is an answer,
passed through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Call:
    """One prediction request as the gateway received it."""

    body: Any
    request_id: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)  # added to the gateway's answer


class UpstreamError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Upstream:
    def __init__(self, url: str, predict_path: str, timeout_s: float, header: str) -> None:
        self.url = url
        self.predict_path = predict_path
        self.timeout_s = timeout_s
        self.header = header
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(self.timeout_s))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise RuntimeError("Upstream.start() was not awaited")
        return self._client

    async def predict(self, call: Call, url: str | None = None) -> Answer:
        """POST the body to `url` (default: the upstream) + the predict path."""
        base = url or self.url
        try:
            response = await self.client.post(
                base + self.predict_path,
                json=call.body,
                headers={self.header: call.request_id},
            )
        except httpx.TimeoutException as exc:
            raise UpstreamError(504, f"{base} did not answer within {self.timeout_s:g} s") from exc
        except httpx.TransportError as exc:
            raise UpstreamError(503, f"{base} is unreachable ({type(exc).__name__})") from exc
        if response.status_code >= 500:
            raise UpstreamError(503, f"{base} failed (HTTP {response.status_code})")
        try:
            body = response.json()
        except ValueError as exc:
            raise UpstreamError(502, f"{base} sent an answer that is not JSON") from exc
        return Answer(response.status_code, body)

    async def healthy(self, path: str) -> tuple[bool, str]:
        if not path:
            return True, "ok"
        try:
            response = await self.client.get(self.url + path)
        except httpx.HTTPError as exc:
            return False, f"{self.url} is unreachable ({type(exc).__name__})"
        return response.status_code < 400, f"{path}: HTTP {response.status_code}"
