"""What an adopted repository records under `options.adopted` in `.mlsd/answers.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlsd.state import Answers

KEY = "adopted"
DEFAULT_DIR = "prediction-gateway"
DEFAULT_PREDICT_PATH = "/predict"


@dataclass(frozen=True)
class Adopted:
    """The foreign service the patterns stand in front of, and where mlsd's files live."""

    upstream: str | None  # the existing service's base URL; None: a repository without one
    predict_path: str = DEFAULT_PREDICT_PATH
    folder: str = DEFAULT_DIR
    sample: Any = None  # one request body the upstream accepts (tests, load test)
    # how the generated tests start the upstream themselves (`{port}`: a free port), in CI too
    upstream_command: str | None = None

    @property
    def package(self) -> str:
        return self.folder.replace("-", "_")

    def to_dict(self) -> dict[str, Any]:
        data = {
            "upstream": self.upstream,
            "predict_path": self.predict_path,
            "dir": self.folder,
            "sample": self.sample if self.sample is not None else {},
        }
        if self.upstream_command:  # recorded only when given: older answers stay as they were
            data["upstream_command"] = self.upstream_command
        return data


def adopted(answers: Answers) -> Adopted | None:
    """The adoption an answers file records, or None for a project `mlsd new` made."""
    data = answers.options.get(KEY)
    if not isinstance(data, dict):
        return None
    return Adopted(
        upstream=data.get("upstream") or None,
        predict_path=str(data.get("predict_path") or DEFAULT_PREDICT_PATH),
        folder=str(data.get("dir") or DEFAULT_DIR),
        sample=data.get("sample"),
        upstream_command=data.get("upstream_command") or None,
    )
