"""A report over the prediction log, with thresholds: exit 0 healthy, 1 a threshold broken."""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


def read_log(path: Path) -> list[dict[str, Any]]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except ValueError as exc:
            raise SystemExit(f"{path}:{number}: not a JSON line ({exc})") from None
    return entries


def numeric_leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, float]]:
    """Every number in a JSON body, by its path (`features.0`, `age`, ...)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield prefix or "(body)", float(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from numeric_leaves(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from numeric_leaves(item, f"{prefix}.{index}" if prefix else str(index))


def features(entries: Iterable[dict[str, Any]]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for entry in entries:
        for name, number in numeric_leaves(entry.get("request")):
            found.setdefault(name, []).append(number)
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def report(entries: list[dict[str, Any]], reference: list[dict[str, Any]] | None) -> dict:
    if not entries:
        return {"requests": 0}
    latencies = [float(e.get("latency_ms", 0)) for e in entries]
    errors = sum(1 for e in entries if int(e.get("status", 0)) >= 500)
    tags = [e.get("tags") or {} for e in entries]
    cached = [t.get("X-Cache") for t in tags if t.get("X-Cache")]
    current, baseline = features(entries), features(reference or [])
    fields = {}
    for name, values in sorted(current.items()):
        field: dict[str, Any] = {"mean": statistics.fmean(values), "std": statistics.pstdev(values)}
        base = baseline.get(name)
        if base:
            spread = statistics.pstdev(base) or 1e-9
            field["drift"] = abs(field["mean"] - statistics.fmean(base)) / spread
        fields[name] = field
    return {
        "requests": len(entries),
        "error_rate": errors / len(entries),
        "latency_ms": {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95)},
        "cache_hit_ratio": cached.count("hit") / len(cached) if cached else None,
        "variants": dict(Counter(t["X-Variant"] for t in tags if t.get("X-Variant"))),
        "fields": fields,
    }


def breaches(summary: dict[str, Any], args: argparse.Namespace) -> list[str]:
    if not summary["requests"]:
        return ["no requests in the log"]
    found = []
    if summary["error_rate"] > args.max_error_rate:
        found.append(f"error rate {summary['error_rate']:.3f} > {args.max_error_rate}")
    if summary["latency_ms"]["p95"] > args.max_p95_ms:
        found.append(f"p95 latency {summary['latency_ms']['p95']:.1f} ms > {args.max_p95_ms}")
    for name, field in summary["fields"].items():
        if field.get("drift", 0) > args.max_drift:
            found.append(f"{name} drifted {field['drift']:.1f} std > {args.max_drift}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="monitoring", description=__doc__)
    parser.add_argument("log", type=Path)
    parser.add_argument("--reference", type=Path, help="a prediction log to compare with")
    parser.add_argument("--max-error-rate", type=float, default=0.05)
    parser.add_argument("--max-p95-ms", type=float, default=1000.0)
    parser.add_argument("--max-drift", type=float, default=3.0)
    args = parser.parse_args(argv)
    for path in (args.log, args.reference):
        if path is not None and not path.is_file():
            parser.error(f"{path}: no such file")
    summary = report(read_log(args.log), read_log(args.reference) if args.reference else None)
    summary["breaches"] = breaches(summary, args)
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 1 if summary["breaches"] else 0


if __name__ == "__main__":
    sys.exit(main())
