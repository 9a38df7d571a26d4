"""`mlsd new --answers .mlsd/answers.yaml` reproduces a project: same answers, same bytes."""

from __future__ import annotations

import pytest
from test_add import snapshot
from test_hostile_input import mlsd

from mlsd import api
from mlsd.errors import UsageError
from mlsd.state import ANSWERS_FILE


@pytest.mark.parametrize(
    "args",
    [
        ["--preset", "minimal"],
        ["-p", "asynchronous", "-p", "prediction-log", "--defaults", "--name", "churn-model"],
        ["-p", "synchronous", "-p", "model-load", "--defaults", "--description", "Scores churn."],
    ],
    ids=["preset", "defaults-and-name", "description"],
)
def test_new_from_a_projects_own_answers_is_byte_identical(tmp_path, args):
    first = tmp_path / "first"
    assert mlsd("new", first, *args).returncode == 0
    again = tmp_path / "again"
    out = mlsd("new", again, "--answers", first / ANSWERS_FILE)
    assert out.returncode == 0, out.stderr
    assert snapshot(again) == snapshot(first)


def test_damaged_recorded_answers_are_refused_clearly(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("mlsd_version: 0.1.0\nproject: nope\npatterns: [web-single]\n")
    with pytest.raises(UsageError, match="`project` must map name and package"):
        api.read_answers_file(path)
