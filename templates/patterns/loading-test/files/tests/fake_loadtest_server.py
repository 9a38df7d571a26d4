"""A tiny broken API for the SLO tests, started as a real uvicorn process.

It is live and ready (`/health/live`, `/health/ready`), but every other request, whatever
its method and path, behaves as `FAKE_MODE` says:
- `fail`: answers 500 at once;
- `slow` (default): sleeps `FAKE_SLEEP_S` seconds (default 0.25), then answers 200 with the
  request id and one prediction.
"""

from __future__ import annotations

import asyncio
import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

MODE = os.environ.get("FAKE_MODE", "slow")
SLEEP_S = float(os.environ.get("FAKE_SLEEP_S", "0.25"))

app = FastAPI()


@app.get("/health/live")
@app.get("/health/ready")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
async def anything(path: str, request: Request) -> JSONResponse:
    request_id = request.headers.get("X-Request-ID", "")
    headers = {"X-Request-ID": request_id}
    if MODE == "fail":
        return JSONResponse(status_code=500, content={"detail": "internal error"}, headers=headers)
    await asyncio.sleep(SLEEP_S)
    body = {"request_id": request_id, "path": f"/{path}", "predictions": [{"label": "fake"}]}
    return JSONResponse(content=body, headers=headers)
