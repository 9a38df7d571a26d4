"""Benchmark the generated web-single `POST /predict` against the public reference web-single
sample and a FastAPI app that returns a constant, all started in the same run.

- generated: a web-single project rendered and trained here, run with the CMD of its
  `Dockerfile.serving` (uvicorn with the project's one-write HTTP protocol, `WEB_CONCURRENCY`
  workers) with everything on: request ids, validation, JSON logs (to a file), Prometheus
  metrics.
- reference: the web-single sample of "ML system design patterns" (ml-system-in-actions,
  chapter 4) reproduced here: a StandardScaler + SVC(probability=True) iris pipeline exported
  by skl2onnx with its defaults, an onnxruntime session with default options, a pydantic body
  `{"data": [[...]]}`, a uuid job id and f-string log calls per request (its logging is not
  configured, so they print nothing), served as its run script serves it: gunicorn with
  uvicorn workers.
- constant: FastAPI returning a constant under plain uvicorn (`--no-access-log`,
  `WEB_CONCURRENCY` workers): the floor of the framework as it is usually run.

The load is wrk (install it: `apt-get install wrk`), one app at a time, interleaved over
rounds (the order rotates each round) so a busy machine weighs on every app alike; the
figures are medians over rounds and the ratios are medians of the per-round ratios.

    python benchmarks/bench_serving.py [--rounds 5] [--seconds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from _common import tmpdir

from mlsd import api

GENERATED_BODY = (
    '{"instances": [{"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, '
    '"petal_length_cm": 1.4, "petal_width_cm": 0.2}]}'
)
REFERENCE_BODY = '{"data": [[5.1, 3.5, 1.4, 0.2]]}'

CONSTANT_APP = """
from fastapi import FastAPI

app = FastAPI()
ANSWER = {"request_id": "r", "model_name": "iris", "model_version": "1", "predictions": [
    {"label": "setosa", "class_id": 0, "probabilities": {"setosa": 1.0}}]}


@app.get("/health")
async def health() -> dict:
    return {"status": "ok"}


@app.post("/predict")
async def predict(body: dict) -> dict:
    return ANSWER
"""

# The reference's model: its training script's pipeline and export (skl2onnx defaults, so the
# probabilities come out as a ZipMap: a list of {class: probability} dicts).
REFERENCE_TRAIN = """
import sys

import numpy as np
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

x, y = load_iris(return_X_y=True)
x_train, _, y_train, _ = train_test_split(x, y, test_size=0.3, random_state=0)
model = Pipeline([("normalize", StandardScaler()), ("svc", SVC(probability=True))])
model.fit(x_train.astype(np.float32), y_train.astype(np.float32))
onnx = convert_sklearn(model, initial_types=[("float_input", FloatTensorType([None, 4]))])
with open(sys.argv[1], "wb") as handle:
    handle.write(onnx.SerializeToString())
"""

# The reference's request path, re-written here with the same steps.
REFERENCE_APP = """
import os
import uuid
from logging import getLogger

import numpy as np
import onnxruntime as rt
from fastapi import FastAPI
from pydantic import BaseModel

logger = getLogger(__name__)


class Data(BaseModel):
    data: list[list[float]] = [[5.1, 3.5, 1.4, 0.2]]


class Classifier:
    def __init__(self, model_filepath: str) -> None:
        self.classifier = rt.InferenceSession(model_filepath)
        self.input_name = self.classifier.get_inputs()[0].name

    async def predict(self, data: list[list[float]]) -> np.ndarray:
        np_data = np.array(data).astype(np.float32)
        prediction = self.classifier.run(None, {self.input_name: np_data})
        output = np.array(list(prediction[1][0].values()))
        logger.info(f"predict proba {output}")
        return output


classifier = Classifier(os.environ["MODEL_FILEPATH"])
app = FastAPI(title="ServingPattern", version="0.1")


@app.get("/health")
def health() -> dict:
    return {"health": "ok"}


@app.post("/predict")
async def predict(data: Data) -> dict:
    job_id = str(uuid.uuid4())
    prediction = await classifier.predict(data.data)
    prediction_list = list(prediction)
    logger.info(f"{job_id}: {prediction_list}")
    return {"prediction": prediction_list}
"""


@dataclass(frozen=True)
class Target:
    label: str
    cmd: list[str]
    cwd: Path
    env: dict[str, str]
    ready: str
    body: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def uvicorn_cmd(app: str, port: int) -> list[str]:
    """Plain uvicorn; `WEB_CONCURRENCY` sets the worker count."""
    return [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log"]  # fmt: skip


def container_cmd(dockerfile: Path, port: int) -> list[str]:
    """The Dockerfile's CMD (exec form), on 127.0.0.1:`port` with this interpreter."""
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile.read_text(), re.M).group(1))  # type: ignore[union-attr]
    values = {"--host": "127.0.0.1", "--port": str(port)}
    cmd = [values.get(before, word) for before, word in zip(["", *cmd], cmd, strict=False)]
    return [sys.executable, "-m", *cmd]


def gunicorn_cmd(app: str, port: int, workers: int) -> list[str]:
    """As the reference's scripts/run_api.sh really runs it: its `# --log-config` line ends
    the command, so `--backlog`, `--max-requests` and `--reload` after it never apply."""
    return [sys.executable, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", "-w", str(workers),
            "-k", "uvicorn.workers.UvicornWorker", "--log-level", "debug"]  # fmt: skip


@contextlib.contextmanager
def started(target: Target, url: str) -> Iterator[None]:
    log = (target.cwd / f"{target.label.replace(' ', '_')}.log").open("wb")
    env = {**os.environ, **target.env}
    process = subprocess.Popen(target.cmd, cwd=target.cwd, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + target.ready, timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{target.label} did not start: see {log.name}")
            time.sleep(0.3)
        headers = {"Content-Type": "application/json"}
        answer = httpx.post(url + "/predict", content=target.body, headers=headers, timeout=5)
        if answer.status_code != 200:
            raise SystemExit(f"{target.label} answered {answer.status_code}: {answer.text}")
        yield
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def load(url: str, script: Path, seconds: int, connections: int) -> tuple[float, float]:
    """(requests per second, p99 in ms) of one wrk run."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
    out = subprocess.run(
        [*cmd, url + "/predict"], capture_output=True, text=True, check=True
    ).stdout
    if re.search(r"Non-2xx or 3xx responses: \d+|Socket errors", out):
        raise SystemExit(f"{url}/predict answered errors under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99_ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99_ms


def wrk_script(path: Path, body: str) -> Path:
    path.write_text(
        f"wrk.method = \"POST\"\nwrk.body = '{body}'\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    return path


def prepare(work: Path, workers: int) -> list[tuple[Target, str]]:
    """Render and train the generated project and the reference; return each target with
    its base URL."""
    project = work / "bench-app"
    api.new_project(project, ["web-single"], use_defaults=True, name="bench-app")
    env = {"PYTHONPATH": f"{project / 'src'}", "LOG_LEVEL": "INFO"}
    run = {"cwd": project, "env": {**os.environ, **env}, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "-m", "bench_app.training"], **run)  # type: ignore[call-overload]
    reference = work / "reference"
    reference.mkdir()
    (reference / "train.py").write_text(REFERENCE_TRAIN)
    (reference / "reference_app.py").write_text(REFERENCE_APP)
    model = reference / "iris_svc.onnx"
    train = [sys.executable, "-W", "ignore::FutureWarning", "train.py", str(model)]
    subprocess.run(train, cwd=reference, check=True)
    (work / "const_app.py").write_text(CONSTANT_APP)
    ports = [free_port() for _ in range(3)]
    concurrency = {"WEB_CONCURRENCY": str(workers)}
    targets = [
        Target("generated web-single", container_cmd(project / "Dockerfile.serving", ports[0]),
               project, {**env, **concurrency}, "/health/ready", GENERATED_BODY),
        Target("reference web-single", gunicorn_cmd("reference_app:app", ports[1], workers),
               reference, {"MODEL_FILEPATH": str(model)}, "/health", REFERENCE_BODY),
        Target("FastAPI returns a constant", uvicorn_cmd("const_app:app", ports[2]), work,
               concurrency, "/health", GENERATED_BODY),
    ]  # fmt: skip
    return [(t, f"http://127.0.0.1:{p}") for t, p in zip(targets, ports, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    if min(args.rounds, args.seconds, args.connections, args.workers) < 1:
        print("error: --rounds, --seconds, --connections and --workers must be >= 1",
              file=sys.stderr)  # fmt: skip
        return 2
    work = tmpdir()
    targets = prepare(work, args.workers)
    results: dict[str, list[tuple[float, float]]] = {t.label: [] for t, _ in targets}
    with contextlib.ExitStack() as stack:
        for target, url in targets:
            stack.enter_context(started(target, url))
        for round_ in range(args.rounds):
            shift = round_ % len(targets)
            for target, url in targets[shift:] + targets[:shift]:
                script = wrk_script(work / "post.lua", target.body)
                load(url, script, 2, args.connections)  # warm-up, not counted
                results[target.label].append(load(url, script, args.seconds, args.connections))
    generated, reference, constant = (results[t.label] for t, _ in targets)
    print(f"{args.rounds} rounds of {args.seconds} s, wrk -t2 -c{args.connections}, "
          f"{args.workers} worker(s) each, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for label, rows in results.items():
        rps = statistics.median(r for r, _ in rows)
        p99 = statistics.median(p for _, p in rows)
        print(f"{label:<28} {rps:9.0f} req/s   p99 {p99:8.1f} ms")

    def ratio(a: list[tuple[float, float]], b: list[tuple[float, float]], i: int) -> float:
        return statistics.median(x[i] / y[i] for x, y in zip(a, b, strict=True))

    print(f"generated / reference: {ratio(generated, reference, 0):.2f}x req/s, "
          f"{ratio(generated, reference, 1):.2f}x p99")  # fmt: skip
    print(f"generated / constant:  {ratio(generated, constant, 0):.2f}x req/s")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
