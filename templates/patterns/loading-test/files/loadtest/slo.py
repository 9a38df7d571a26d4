"""Service level objectives (SLOs) of the load test, and the verdict on one Locust run.

The thresholds come from the environment (the `loadtest-config` ConfigMap in Kubernetes):

    SLO_P95_MS          95th percentile latency budget in milliseconds, for every endpoint
                        and for all requests together (default 300)
    SLO_MAX_ERROR_RATE  largest allowed share of failed requests, 0..1 (default 0.01)
    SLO_MIN_REQUESTS    fewest requests a run must make to count at all (default 1)

`read_stats` reads the `<prefix>_stats.csv` that `locust --csv <prefix>` writes and `evaluate`
compares it with an `Slo`. Standard library only: `loadtest/run.py` and the tests import it
without importing Locust.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class Slo:
    """The thresholds a load test run must meet."""

    p95_ms: float = 300.0
    max_error_rate: float = 0.01
    min_requests: int = 1

    def __post_init__(self) -> None:
        if not (math.isfinite(self.p95_ms) and self.p95_ms > 0):
            raise ValueError(f"SLO_P95_MS must be a positive number of ms, got {self.p95_ms}")
        if not 0 <= self.max_error_rate <= 1:
            raise ValueError(f"SLO_MAX_ERROR_RATE must be within 0..1, got {self.max_error_rate}")
        if self.min_requests < 1:
            raise ValueError(f"SLO_MIN_REQUESTS must be at least 1, got {self.min_requests}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Slo:
        env = os.environ if environ is None else environ
        default = cls()
        try:
            return cls(
                p95_ms=float(env.get("SLO_P95_MS", default.p95_ms)),
                max_error_rate=float(env.get("SLO_MAX_ERROR_RATE", default.max_error_rate)),
                min_requests=int(env.get("SLO_MIN_REQUESTS", default.min_requests)),
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"invalid SLO setting: {exc}") from exc


@dataclass(frozen=True)
class EndpointStats:
    """One row of Locust's stats CSV: an endpoint ("POST /predict") or all requests."""

    name: str
    requests: int
    failures: int
    p95_ms: float | None  # None when the endpoint got no request

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class RunStats:
    total: EndpointStats
    endpoints: list[EndpointStats]


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None  # Locust writes "N/A" for percentiles of an endpoint without requests


def read_stats(path: Path) -> RunStats:
    """Parse `<prefix>_stats.csv` of a Locust run."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total: EndpointStats | None = None
    endpoints: list[EndpointStats] = []
    for row in rows:
        name = f"{row['Type']} {row['Name']}".strip()
        stats = EndpointStats(
            name=name,
            requests=int(row["Request Count"]),
            failures=int(row["Failure Count"]),
            p95_ms=_number(row["95%"]),
        )
        if row["Name"] == AGGREGATED:
            total = stats
        else:
            endpoints.append(stats)
    if total is None:
        raise ValueError(f"{path} has no {AGGREGATED} row: not a Locust stats file")
    return RunStats(total=total, endpoints=endpoints)


@dataclass(frozen=True)
class Verdict:
    slo: Slo
    stats: RunStats
    breaches: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.breaches

    def to_dict(self) -> dict[str, Any]:
        rows = [self.stats.total, *self.stats.endpoints]
        return {
            "passed": self.passed,
            "slo": asdict(self.slo),
            "breaches": list(self.breaches),
            "stats": [{**asdict(row), "error_rate": round(row.error_rate, 6)} for row in rows],
        }


def percent(rate: float) -> str:
    """0.0123 -> "1.23%"."""
    return f"{rate * 100:.2f}%"


def evaluate(stats: RunStats, slo: Slo) -> Verdict:
    """Every way the run missed `slo`, as readable sentences (none: the SLO is met)."""
    breaches: list[str] = []
    total = stats.total
    if total.requests < slo.min_requests:
        breaches.append(f"only {total.requests} requests, fewer than {slo.min_requests}")
    if total.error_rate > slo.max_error_rate:
        breaches.append(
            f"error rate {percent(total.error_rate)} ({total.failures}/{total.requests} failed)"
            f" is above the SLO of {percent(slo.max_error_rate)}"
        )
    for row in (total, *stats.endpoints):
        if row.p95_ms is not None and row.p95_ms > slo.p95_ms:
            where = "all requests" if row is total else row.name
            breaches.append(f"p95 latency of {where} is {row.p95_ms:g} ms, above {slo.p95_ms:g} ms")
    return Verdict(slo=slo, stats=stats, breaches=breaches)
