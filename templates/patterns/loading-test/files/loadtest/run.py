"""Headless load test with an SLO gate: run Locust, then fail when the SLO is broken.

    python -m loadtest.run --host http://127.0.0.1:8000          # `make slo`
    SLO_P95_MS=150 SLO_MAX_ERROR_RATE=0 python -m loadtest.run -u 20 -t 2m

It runs `loadtest/locustfile.py` (every `loadtest/tasks_*.py`) headless with `--csv`, reads
the stats and checks them with `loadtest/slo.py`: the p95 latency of every endpoint and of
all requests against `SLO_P95_MS`, the share of failed requests against
`SLO_MAX_ERROR_RATE`. It prints the verdict as one JSON object on stdout (and writes it to
`--report` when given). Exit status: 0 the SLO is met, 1 it is broken, 2 the run itself failed
(bad settings, Locust missing or crashed, the service never got ready).

Settings default from the environment: `LOCUST_HOST` (else the locustfile's local default),
`LOADTEST_USERS` (10), `LOADTEST_SPAWN_RATE` (5), `LOADTEST_RUN_TIME` (30s),
`LOADTEST_WAIT_READY_S` (0: do not wait for `<host>/health/ready` before starting).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from loadtest.slo import Slo, evaluate, percent, read_stats

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"
DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")
OK, BREACHED, FAILED = 0, 1, 2


def seconds(run_time: str) -> int:
    """Locust's run time (`30s`, `2m`, `1h30m`, `45`) in seconds."""
    match = DURATION.fullmatch(run_time.strip())
    if not run_time.strip() or match is None:
        raise argparse.ArgumentTypeError(f"not a run time like 30s, 2m or 1h30m: {run_time!r}")
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + secs
    if total <= 0:
        raise argparse.ArgumentTypeError(f"the run time must be positive: {run_time!r}")
    return total


def _run_time(value: str) -> str:
    seconds(value)
    return value.strip()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=env.get("LOCUST_HOST"), help="base URL of the API")
    parser.add_argument("-u", "--users", type=int, default=int(env.get("LOADTEST_USERS", "10")))
    parser.add_argument(
        "-r", "--spawn-rate", type=float, default=float(env.get("LOADTEST_SPAWN_RATE", "5"))
    )
    parser.add_argument(
        "-t", "--run-time", type=_run_time, default=env.get("LOADTEST_RUN_TIME", "30s")
    )
    parser.add_argument(
        "--wait-ready",
        type=float,
        default=float(env.get("LOADTEST_WAIT_READY_S", "0")),
        metavar="SECONDS",
        help="first wait up to this long for <host>/health/ready to answer 200",
    )
    parser.add_argument("--p95-ms", type=float, help="overrides SLO_P95_MS")
    parser.add_argument("--max-error-rate", type=float, help="overrides SLO_MAX_ERROR_RATE")
    parser.add_argument("--csv-dir", type=Path, help="keep Locust's CSV files here")
    parser.add_argument("--report", type=Path, help="also write the JSON verdict here")
    args = parser.parse_args(argv)
    if args.users < 1 or args.spawn_rate <= 0:
        parser.error("--users must be at least 1 and --spawn-rate positive")
    return args


def slo_from(args: argparse.Namespace) -> Slo:
    slo = Slo.from_env()
    return Slo(
        p95_ms=slo.p95_ms if args.p95_ms is None else args.p95_ms,
        max_error_rate=slo.max_error_rate if args.max_error_rate is None else args.max_error_rate,
        min_requests=slo.min_requests,
    )


def wait_ready(host: str, timeout_s: float) -> bool:
    """Poll `<host>/health/ready` until it answers 200 (True) or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    url = host.rstrip("/") + "/health/ready"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(1)


def locust_command(args: argparse.Namespace, csv_prefix: Path) -> list[str]:
    cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE)]
    cmd += ["--headless", "--only-summary"]
    cmd += ["-u", str(args.users), "-r", f"{args.spawn_rate:g}", "-t", args.run_time]
    cmd += ["--csv", str(csv_prefix), "--exit-code-on-error", "1"]
    if args.host:
        cmd += ["--host", args.host]
    return cmd


def _say(message: str) -> None:
    print(f"loadtest: {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace, slo: Slo, csv_dir: Path) -> int:
    if args.host and args.wait_ready > 0 and not wait_ready(args.host, args.wait_ready):
        _say(f"{args.host}/health/ready did not answer 200 within {args.wait_ready:g} s")
        return FAILED
    prefix = csv_dir / "loadtest"
    cmd = locust_command(args, prefix)
    _say(f"{args.users} users for {args.run_time} against {args.host or 'the default host'}")
    try:
        locust = subprocess.run(  # its summary goes to stderr: stdout is the verdict alone
            cmd, stdout=sys.stderr, timeout=seconds(args.run_time) + 120, check=False
        )
    except subprocess.TimeoutExpired:
        _say("Locust did not stop in time")
        return FAILED
    stats_file = Path(f"{prefix}_stats.csv")
    # Locust exits 1 when any request failed: that is for the SLO to judge, not a crash.
    if locust.returncode not in (0, 1) or not stats_file.exists():
        _say(f"Locust failed (exit {locust.returncode}) and wrote no stats")
        return FAILED
    verdict = evaluate(read_stats(stats_file), slo)
    report = json.dumps(verdict.to_dict(), sort_keys=True)
    print(report, flush=True)
    if args.report:
        args.report.write_text(report + "\n", encoding="utf-8")
    for breach in verdict.breaches:
        _say(f"SLO BREACHED: {breach}")
    if verdict.passed:
        _say(f"SLO met: p95 <= {slo.p95_ms:g} ms, error rate <= {percent(slo.max_error_rate)}")
        return OK
    return BREACHED


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        slo = slo_from(args)
    except ValueError as exc:
        _say(str(exc))
        return FAILED
    if args.csv_dir:
        args.csv_dir.mkdir(parents=True, exist_ok=True)
        return run(args, slo, args.csv_dir)
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        return run(args, slo, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
