"""The SLO gate of the load test (`loadtest/run.py`, `loadtest/slo.py`) and its deployment.

The headless run is started as a real subprocess (real Locust, real HTTP on loopback):
against the real system (started as `tests/test_loadtest.py` does it) the SLO is met; against
a real fake API (`tests/fake_loadtest_server.py`) that answers 500s, or answers too slowly, it
is broken and the run exits 1 with the breach named.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from loadtest.slo import Slo, evaluate, read_stats

from tests.support.processes import ROOT, free_port, process_env, run_service
from tests.test_loadtest import _require_locust, _system

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def _stats_csv(path: Path, rows: list[tuple[str, str, int, int, str]]) -> Path:
    """A Locust stats CSV with (type, name, requests, failures, p95) rows."""
    lines = [HEADER]
    for kind, name, requests, failures, p95 in rows:
        lines.append(
            f"{kind},{name},{requests},{failures},5,6.0,1,90,42,3.0,0.0," + ",".join([p95] * 11)
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_verdict_names_every_breach(tmp_path: Path) -> None:
    stats = read_stats(
        _stats_csv(
            tmp_path / "run_stats.csv",
            [
                ("POST", "/predict", 90, 1, "40"),
                ("GET", "/metadata", 10, 3, "350"),
                ("", "Aggregated", 100, 4, "60"),
            ],
        )
    )
    assert stats.total.requests == 100 and stats.total.error_rate == pytest.approx(0.04)
    assert [row.name for row in stats.endpoints] == ["POST /predict", "GET /metadata"]

    met = evaluate(stats, Slo(p95_ms=400, max_error_rate=0.05))
    assert met.passed and met.breaches == []

    broken = evaluate(stats, Slo(p95_ms=300, max_error_rate=0.01, min_requests=500))
    assert not broken.passed
    text = "\n".join(broken.breaches)
    assert "only 100 requests" in text
    assert "error rate 4.00%" in text
    assert "p95 latency of GET /metadata is 350 ms" in text
    assert "POST /predict" not in text  # 40 ms is within the budget
    assert broken.to_dict()["passed"] is False


def test_an_endpoint_without_requests_has_no_latency_to_judge(tmp_path: Path) -> None:
    stats = read_stats(
        _stats_csv(
            tmp_path / "s.csv",
            [("GET", "/jobs/{id}", 0, 0, "N/A"), ("", "Aggregated", 0, 0, "N/A")],
        )
    )
    assert stats.endpoints[0].p95_ms is None
    assert evaluate(stats, Slo()).breaches == ["only 0 requests, fewer than 1"]


@pytest.mark.parametrize(
    "env",
    [
        {"SLO_P95_MS": "0"},
        {"SLO_P95_MS": "fast"},
        {"SLO_MAX_ERROR_RATE": "1.5"},
        {"SLO_MIN_REQUESTS": "0"},
    ],
)
def test_nonsense_thresholds_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="SLO"):
        Slo.from_env(env)


def test_thresholds_come_from_the_environment() -> None:
    slo = Slo.from_env({"SLO_P95_MS": "120", "SLO_MAX_ERROR_RATE": "0", "SLO_MIN_REQUESTS": "5"})
    assert slo == Slo(p95_ms=120, max_error_rate=0, min_requests=5)
    assert Slo.from_env({}) == Slo()


# --- the headless run as a real subprocess ------------------------------------------------


def _gate(
    host: str, tmp_path: Path, slo: dict[str, str], *extra: str, run_time: str = "3s"
) -> tuple[int, dict[str, Any] | None, str]:
    """Run `python -m loadtest.run` against `host`: (exit status, JSON verdict, stderr)."""
    _require_locust()
    report = tmp_path / "verdict.json"
    cmd = [sys.executable, "-m", "loadtest.run", "--host", host, "-u", "4", "-r", "4"]
    cmd += ["-t", run_time, "--report", str(report), "--csv-dir", str(tmp_path / "csv"), *extra]
    env = {"SLO_P95_MS": "300", "SLO_MAX_ERROR_RATE": "0.01", "SLO_MIN_REQUESTS": "1", **slo}
    result = subprocess.run(
        cmd,
        cwd=ROOT,
        env=process_env(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    verdict = json.loads(report.read_text(encoding="utf-8")) if report.exists() else None
    if verdict is not None:  # stdout is the same verdict, as one JSON line
        assert json.loads(result.stdout.strip().splitlines()[-1]) == verdict
    return result.returncode, verdict, result.stderr[-4000:]


@pytest.fixture(scope="module")
def system_url(request: pytest.FixtureRequest, model_env: dict[str, str]) -> Iterator[str]:
    """The public entry point of the real system (or the `loadtest_host` fixture's)."""
    try:
        url = request.getfixturevalue("loadtest_host")
    except pytest.FixtureLookupError:
        url = None
    if url:
        yield url
        return
    with _system(request, model_env) as started:
        yield started


def _fake(mode: str) -> Any:
    env = {"FAKE_MODE": mode, "FAKE_SLEEP_S": "0.25"}
    return run_service(
        "tests.fake_loadtest_server:app", port=free_port(), env=env, health="/health/ready"
    )


def test_the_real_system_meets_the_slo(system_url: str, tmp_path: Path) -> None:
    # A generous latency budget (shared CI machines), but not a single failed request.
    status, verdict, log = _gate(
        system_url,
        tmp_path,
        {"SLO_P95_MS": "2000", "SLO_MAX_ERROR_RATE": "0"},
        "--wait-ready",
        "10",
    )
    assert status == 0, log
    assert verdict is not None and verdict["passed"] is True and verdict["breaches"] == []
    total, *endpoints = verdict["stats"]
    assert total["name"] == "Aggregated" and total["requests"] > 0, verdict
    assert endpoints and all(row["failures"] == 0 for row in endpoints), verdict
    assert all(row["p95_ms"] is not None for row in endpoints), verdict
    assert (tmp_path / "csv" / "loadtest_stats.csv").exists()


def test_a_service_answering_errors_breaks_the_slo(tmp_path: Path) -> None:
    with _fake("fail") as url:
        # Latency cannot breach (60 s budget): only the error rate can fail the run.
        status, verdict, log = _gate(url, tmp_path, {"SLO_P95_MS": "60000"}, run_time="2s")
    assert status == 1, log
    assert verdict is not None and verdict["passed"] is False
    assert len(verdict["breaches"]) == 1 and "error rate 100.00%" in verdict["breaches"][0]
    assert "SLO BREACHED: error rate" in log


def test_a_slow_service_breaks_the_latency_slo(tmp_path: Path) -> None:
    with _fake("slow") as url:
        # Every answer takes 250 ms against a 100 ms budget; errors cannot breach (rate 1).
        slo = {"SLO_P95_MS": "100", "SLO_MAX_ERROR_RATE": "1"}
        status, verdict, log = _gate(url, tmp_path, slo, run_time="2s")
    assert status == 1, log
    assert verdict is not None and verdict["passed"] is False
    assert any("p95 latency of all requests" in b for b in verdict["breaches"]), verdict
    assert all("p95 latency" in b for b in verdict["breaches"]), verdict
    assert verdict["stats"][0]["p95_ms"] >= 250


def test_a_service_that_never_gets_ready_is_a_failed_run(tmp_path: Path) -> None:
    status, verdict, log = _gate(
        f"http://127.0.0.1:{free_port()}", tmp_path, {}, "--wait-ready", "1"
    )
    assert status == 2, log
    assert verdict is None and "did not answer 200 within 1 s" in log


def test_bad_settings_are_a_failed_run_not_a_verdict(tmp_path: Path) -> None:
    status, verdict, log = _gate("http://127.0.0.1:9", tmp_path, {"SLO_MAX_ERROR_RATE": "2"})
    assert status == 2 and verdict is None
    assert "SLO_MAX_ERROR_RATE must be within 0..1" in log


# --- deployment: the Job and its image ------------------------------------------------------


def _project_name() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]


def _base_objects() -> list[dict[str, Any]]:
    objects = []
    for path in sorted((ROOT / "deploy/k8s/base").glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        objects += [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
    return objects


def test_the_job_runs_the_gate_against_the_public_service() -> None:
    objects = {(o["kind"], o["metadata"]["name"]): o for o in _base_objects()}
    job = objects[("Job", "loadtest")]
    assert job["apiVersion"] == "batch/v1"
    assert job["spec"]["backoffLimit"] == 0  # a broken SLO is not retried
    assert job["spec"]["suspend"] is True  # started on purpose, never by an apply
    pod = job["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"] == f"{_project_name()}-loadtest:0.1.0"
    assert container["command"][:3] == ["python", "-m", "loadtest.run"]
    assert {"requests", "limits"} <= set(container["resources"])
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsNonRoot"] is True

    config = objects[("ConfigMap", "loadtest-config")]["data"]
    assert {"SLO_P95_MS", "SLO_MAX_ERROR_RATE", "LOCUST_HOST"} <= set(config)
    Slo.from_env(config)  # valid thresholds
    host, port = config["LOCUST_HOST"].removeprefix("http://").split(":")
    service = objects[("Service", host)]  # the target is a Service of this project
    assert int(port) in [p["port"] for p in service["spec"]["ports"]]


def test_the_loadtest_image_installs_only_the_loadtest_extra() -> None:
    dockerfile = (ROOT / "Dockerfile.loadtest").read_text(encoding="utf-8")
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs and all('".[loadtest]"' in line for line in installs), installs
    assert "COPY loadtest/ /app/loadtest/" in dockerfile
    assert 'CMD ["python", "-m", "loadtest.run"]' in dockerfile
    # loadtest/ must reach the build context (everything else stays out but src/).
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "!loadtest/" in ignore and "**" in ignore
