"""The order of mlsd's own test run: the generated projects' own suites (up to minutes each)
first, larger pattern sets before smaller, then every other test in collection order.

Under pytest-xdist (`scripts/test.sh`), a worker with nothing left steals from the end of
another's queue: with the long suites at the front, the run ends on short tests, not on one
worker running a three-minute suite while the other idles.
"""

from __future__ import annotations

import pytest

#: tests that run a generated project's whole suite (and need no module fixture of their own)
LONG = ("test_generated_project_own_tests_pass", "test_add_into_edited_project_keeps_it_working")


def _cost(item: pytest.Item) -> int:
    """0 for a short test; for a generated suite, 1 + the patterns in its id (`a+b+c`)."""
    if getattr(item, "originalname", None) not in LONG:
        return 0
    callspec = getattr(item, "callspec", None)
    return 1 + (callspec.id.count("+") if callspec else 0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_cost, reverse=True)  # stable: the others keep their order
