"""Drift statistics with numpy only: the population stability index (PSI).

For each input feature, the training values define quantile bins (`Reference`); the share of
recent values in each bin is compared with the share of training values:

    PSI = sum over bins of (observed - expected) * ln(observed / expected)

Counts are smoothed (+0.5 per bin) so an empty bin gives a large but finite PSI. The predicted
labels get the same statistic against the class shares of the training data. A PSI below 0.1
is usually read as no change, 0.1-0.25 as a small change, above 0.25 as a significant one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SMOOTHING = 0.5
PREDICTION = "prediction"  # the key of the predicted-label PSI in a report


@dataclass(frozen=True)
class FeatureReference:
    edges: tuple[float, ...]  # interior bin edges: training quantiles
    counts: tuple[int, ...]  # training values per bin (len(edges) + 1 bins)


@dataclass(frozen=True)
class Reference:
    """What the training data looks like: binned features and class counts."""

    features: dict[str, FeatureReference]
    labels: dict[str, int]
    rows: int
    fingerprint: str


@dataclass(frozen=True)
class DriftReport:
    entries: int
    threshold: float
    psi: dict[str, float] = field(default_factory=dict)  # feature name or "prediction"

    @property
    def drifted(self) -> list[str]:
        return sorted(name for name, value in self.psi.items() if value > self.threshold)


def bin_edges(values: np.ndarray, bins: int) -> np.ndarray:
    """Interior edges at the training quantiles (ties merged, so bins may be fewer)."""
    quantiles = np.quantile(values, np.linspace(0.0, 1.0, bins + 1)[1:-1])
    return np.unique(quantiles)


def bin_counts(edges: Sequence[float], values: np.ndarray) -> np.ndarray:
    index = np.searchsorted(np.asarray(edges, dtype=np.float64), values, side="right")
    return np.bincount(index, minlength=len(edges) + 1)


def psi(expected_counts: Sequence[float], observed_counts: Sequence[float]) -> float:
    expected = np.asarray(expected_counts, dtype=np.float64) + SMOOTHING
    observed = np.asarray(observed_counts, dtype=np.float64) + SMOOTHING
    expected /= expected.sum()
    observed /= observed.sum()
    return float(np.sum((observed - expected) * np.log(observed / expected)))


def build_reference(
    X: np.ndarray,
    labels: Iterable[str],
    feature_names: Sequence[str],
    fingerprint: str,
    bins: int = 10,
) -> Reference:
    features = {}
    for column, name in enumerate(feature_names):
        edges = bin_edges(X[:, column], bins)
        counts = bin_counts(edges, X[:, column])
        features[name] = FeatureReference(
            edges=tuple(float(e) for e in edges), counts=tuple(int(c) for c in counts)
        )
    return Reference(
        features=features,
        labels=dict(sorted(Counter(labels).items())),
        rows=int(X.shape[0]),
        fingerprint=fingerprint,
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def compare(
    reference: Reference, entries: Sequence[Mapping[str, Any]], threshold: float
) -> DriftReport:
    """PSI of every reference feature and of the predicted labels over `entries` (prediction
    log entries: `input` a mapping of features, `label` the predicted label)."""
    scores: dict[str, float] = {}
    for name, feature in reference.features.items():
        values = [_number((entry.get("input") or {}).get(name)) for entry in entries]
        present = np.asarray([v for v in values if v is not None], dtype=np.float64)
        if present.size:
            scores[name] = round(psi(feature.counts, bin_counts(feature.edges, present)), 6)
    seen = Counter(str(entry["label"]) for entry in entries if entry.get("label") is not None)
    if seen:
        classes = sorted(set(reference.labels) | set(seen))
        scores[PREDICTION] = round(
            psi([reference.labels.get(c, 0) for c in classes], [seen.get(c, 0) for c in classes]),
            6,
        )
    return DriftReport(entries=len(entries), threshold=threshold, psi=scores)
