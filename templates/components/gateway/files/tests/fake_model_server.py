"""A tiny stand-in model server for the gateway tests, started as a real uvicorn process.

It is healthy and ready, but `POST /predict` behaves as `FAKE_MODE` says:
- `slow`: sleeps `FAKE_SLEEP_S` seconds (default 5; the tests use 10) before answering;
- `fail`: answers 500;
- `reject`: answers 409 with a JSON body the gateway must pass through;
- `unready`: `/health/ready` answers 503 with a reason (a model server still loading);
- anything else (e.g. `ok`): answers at once, `setosa` for every instance (a well-formed
  answer, so the gateway's prediction hooks see one prediction per instance).
"""

from __future__ import annotations

import asyncio
import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

MODE = os.environ.get("FAKE_MODE", "slow")
SLEEP_S = float(os.environ.get("FAKE_SLEEP_S", "5"))
SETOSA = {"label": "setosa", "class_id": 0, "probabilities": {"setosa": 1.0}}

app = FastAPI()


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/health/ready")
async def ready() -> JSONResponse:
    if MODE == "unready":
        return JSONResponse(
            status_code=503, content={"status": "not ready", "reason": "model is loading"}
        )
    return JSONResponse(content={"status": "ready"})


@app.get("/metadata")
async def metadata() -> dict[str, str]:
    return {"model_name": "fake", "model_version": "0.0.0-fake"}


@app.post("/predict")
async def predict(request: Request) -> JSONResponse:
    request_id = request.headers.get("X-Request-ID", "")
    if MODE == "slow":
        await asyncio.sleep(SLEEP_S)
    if MODE == "fail":
        return JSONResponse(status_code=500, content={"detail": "internal error"})
    if MODE == "reject":
        return JSONResponse(
            status_code=409,
            content={"detail": "rejected by the fake model server", "request_id": request_id},
        )
    instances = (await request.json()).get("instances", [])
    return JSONResponse(
        content={
            "request_id": request_id,
            "model_name": "fake",
            "model_version": "0.0.0-fake",
            "predictions": [SETOSA] * len(instances),
        }
    )
