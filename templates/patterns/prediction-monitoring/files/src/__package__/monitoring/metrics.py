"""The drift monitor's Prometheus metrics, in a registry of its own (a job, not a service).

A CronJob ends before Prometheus could scrape it, so the metrics are pushed to a Pushgateway
(`PUSHGATEWAY_URL`) and/or written to a file in the text format (`MONITOR_METRICS_FILE`, for
a node-exporter textfile collector):

- `prediction_drift_psi{feature}`: PSI of each feature and of the predicted labels
  (`feature="prediction"`);
- `prediction_drift_detected`: 1 when any PSI is above the threshold, else 0;
- `prediction_drift_threshold`, `prediction_drift_entries` (entries compared);
- `prediction_drift_last_run_timestamp_seconds`: when the monitor last ran (a stale value
  means the job is not running or cannot push).
"""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge, push_to_gateway, write_to_textfile

from .drift import DriftReport


def registry_for(report: DriftReport) -> CollectorRegistry:
    registry = CollectorRegistry()
    psi = Gauge(
        "prediction_drift_psi",
        "Population stability index of recent inputs/predictions vs the training data",
        ["feature"],
        registry=registry,
    )
    for name, value in sorted(report.psi.items()):
        psi.labels(name).set(value)
    Gauge(
        "prediction_drift_detected", "1 when a PSI is above the threshold", registry=registry
    ).set(1 if report.drifted else 0)
    Gauge("prediction_drift_threshold", "PSI alert threshold", registry=registry).set(
        report.threshold
    )
    Gauge("prediction_drift_entries", "Prediction log entries compared", registry=registry).set(
        report.entries
    )
    Gauge(
        "prediction_drift_last_run_timestamp_seconds",
        "Unix time of the last drift monitor run",
        registry=registry,
    ).set_to_current_time()
    return registry


def publish(
    report: DriftReport,
    *,
    pushgateway_url: str | None,
    job: str,
    metrics_file: Path | None,
) -> None:
    """Write and/or push the metrics of `report` (raises OSError when the push fails)."""
    registry = registry_for(report)
    if metrics_file is not None:
        metrics_file.parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(metrics_file), registry)
    if pushgateway_url:
        push_to_gateway(pushgateway_url, job=job, registry=registry, timeout=5)
