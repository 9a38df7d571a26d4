"""The iris rows the tests send, defined once (each the first flower of its class in the data).

`SETOSA` and `VIRGINICA` are classified without doubt by any model the pipeline accepts;
`body(...)` wraps rows as a `POST /predict` request.
"""

from __future__ import annotations

from typing import Any

SETOSA: dict[str, float] = {
    "sepal_length_cm": 5.1,
    "sepal_width_cm": 3.5,
    "petal_length_cm": 1.4,
    "petal_width_cm": 0.2,
}
VIRGINICA: dict[str, float] = {
    "sepal_length_cm": 6.7,
    "sepal_width_cm": 3.0,
    "petal_length_cm": 5.2,
    "petal_width_cm": 2.3,
}
FLOWERS: list[dict[str, float]] = [SETOSA, VIRGINICA]


def body(*rows: dict[str, float]) -> dict[str, Any]:
    """A `POST /predict` body with these rows (copies: a test may change its own)."""
    return {"instances": [dict(row) for row in rows]}
