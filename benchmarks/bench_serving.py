"""Benchmark the generated web-single `POST /predict` against a FastAPI app that returns a
constant, both started in the same run on the same machine, one after the other.

The generated service runs as generated (request ids, validation, JSON logs, metrics, the
ONNX model); the constant app is FastAPI's floor (no model, no middleware). Both run under
uvicorn with one process; the load is wrk (2 threads, 16 connections), so install it
(`apt-get install wrk`). Prints req/s and p99 of each and the ratio generated / constant.

    python benchmarks/bench_serving.py [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from _common import tmpdir

from mlsd import api

BODY = (
    '{"instances": [{"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, '
    '"petal_length_cm": 1.4, "petal_width_cm": 0.2}]}'
)
CONSTANT_APP = """
from fastapi import FastAPI

app = FastAPI()
ANSWER = {"request_id": "r", "model_name": "iris", "model_version": "1", "predictions": [
    {"label": "setosa", "class_id": 0, "probabilities": {"setosa": 1.0}}]}


@app.post("/predict")
async def predict(body: dict) -> dict:
    return ANSWER
"""
WRK_SCRIPT = f"""wrk.method = "POST"
wrk.body = '{BODY}'
wrk.headers["Content-Type"] = "application/json"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(app: str, cwd: Path, env: dict[str, str], ready: str) -> Iterator[str]:
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--no-access-log"]
    cmd += ["--log-level", "warning"]
    log = (cwd / f"{app.replace(':', '_')}.log").open("wb")
    process = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + ready, timeout=1).status_code in (200, 405):
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{app} did not start: see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def load(url: str, script: Path, seconds: int, connections: int) -> tuple[float, str]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
    out = subprocess.run(
        [*cmd, url + "/predict"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if re.search(r"Non-2xx or 3xx responses: \d+", out):
        raise SystemExit(f"{url}/predict answered errors under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    return rps, p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    work = tmpdir()
    project = work / "bench-app"
    api.new_project(project, ["web-single"], use_defaults=True, name="bench-app")
    env = {"PYTHONPATH": f"{project / 'src'}{os.pathsep}{work}", "LOG_LEVEL": "INFO"}
    subprocess.run(
        [sys.executable, "-m", "bench_app.training"],
        cwd=project,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    (work / "const_app.py").write_text(CONSTANT_APP)
    script = work / "post.lua"
    script.write_text(WRK_SCRIPT)
    rows = []
    apps = [
        ("generated web-single", "bench_app.serving.app:app", project, "/health/ready"),
        ("FastAPI returns a constant", "const_app:app", work, "/predict"),
    ]
    for label, app, cwd, ready in apps:
        with serve(app, cwd, env, ready) as url:
            rows.append((label, *load(url, script, args.seconds, args.connections)))
    for label, rps, p99 in rows:
        print(f"{label:<28} {rps:9.0f} req/s   p99 {p99}")
    print(f"ratio generated / constant: {rows[0][1] / rows[1][1]:.2f}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
