"""The edge model folder (``EDGE_MODEL_DIR``, default ``models/edge``)::

    <edge dir>/<model name>/<version>/model.onnx   the on-device model (quantised or not)
    <edge dir>/<model name>/<version>/edge.json    version, sha256, size, quantisation and
                                                   the accuracy delta vs the float model
    <edge dir>/<model name>/LATEST                 one line: the version devices should run

The export writes it; the serving route (`routes/edge.py`) only reads it. Standard library
only, so serving code can import it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EDGE_MODEL_FILE = "model.onnx"
EDGE_REPORT_FILE = "edge.json"
LATEST_FILE = "LATEST"
SAFE_NAME_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")


class EdgeLayoutError(Exception):
    """The edge folder is unreadable or holds an incomplete version."""


@dataclass(frozen=True)
class EdgeRelease:
    """One exported edge version."""

    name: str
    version: str
    folder: Path
    report: dict[str, Any]

    @property
    def model_path(self) -> Path:
        return self.folder / EDGE_MODEL_FILE

    @property
    def sha256(self) -> str:
        return str(self.report["sha256"])


def is_safe(name: str) -> bool:
    return bool(SAFE_NAME_RE.match(name))


def read_release(root: Path, name: str, version: str) -> EdgeRelease | None:
    """The release `version` of model `name`, or None when it was never exported."""
    if not (is_safe(name) and is_safe(version)):
        return None
    folder = Path(root) / name / version
    report_path = folder / EDGE_REPORT_FILE
    if not report_path.is_file() or not (folder / EDGE_MODEL_FILE).is_file():
        return None
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EdgeLayoutError(f"{report_path} is not valid JSON: {exc}") from exc
    if not isinstance(report, dict) or not report.get("sha256"):
        raise EdgeLayoutError(f"{report_path} records no sha256")
    return EdgeRelease(name=name, version=version, folder=folder, report=report)


def latest_version(root: Path, name: str) -> str | None:
    path = Path(root) / name / LATEST_FILE
    if not is_safe(name) or not path.is_file():
        return None
    version = path.read_text(encoding="utf-8").strip()
    return version or None


def latest_release(root: Path, name: str) -> EdgeRelease | None:
    """The release named by `<root>/<name>/LATEST`, or None when nothing was exported."""
    version = latest_version(root, name)
    return read_release(root, name, version) if version else None
