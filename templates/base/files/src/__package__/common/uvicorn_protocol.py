"""uvicorn's httptools protocol, sending each small response in one write.

uvicorn writes a response's head (status line and headers) as soon as the app sends it, and
its body when that comes: two system calls and two TCP segments for an answer of a few
hundred bytes, and two wake-ups of the client. Under load that is a large part of a small
model's request time. `CoalescingHttpToolsProtocol` gives uvicorn's protocol a transport that
joins what is written within one turn of the event loop and writes it at the end of the
turn, so a head and a body sent back to back leave together. Nothing waits longer than that
turn, and a large body is written at once (the transport's flow control still sees it).

The services' containers run it, and so do the tests and `scripts/local.py`:

    uvicorn <package>.serving.app:app \
        --http <package>.common.uvicorn_protocol:CoalescingHttpToolsProtocol
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Pending bytes at which a write goes out at once rather than at the end of the turn.
FLUSH_AT = 64 * 1024


class CoalescingTransport:
    """Wraps a transport: the writes of one event-loop turn become one write."""

    __slots__ = ("_loop", "_pending", "_size", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(data)
        self._size += len(data)
        if self._size >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending.clear()
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # everything else is the transport's own
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol over a `CoalescingTransport`."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]
