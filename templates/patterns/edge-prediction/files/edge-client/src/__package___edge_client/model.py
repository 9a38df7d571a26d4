"""The model on the device: the version the local folder's `CURRENT` names, verified.

Folder layout (written only by `update.check_for_update`)::

    <dir>/CURRENT                       one line: the active release folder
    <dir>/<version>-<sha256[:12]>/      model.onnx + edge.json of one release
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

CURRENT_FILE = "CURRENT"
MODEL_FILE = "model.onnx"
REPORT_FILE = "edge.json"


class EdgeModelError(Exception):
    """No usable model in the folder, or input the model cannot take."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_session(model_path: Path) -> ort.InferenceSession:
    try:
        return ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types
        raise EdgeModelError(f"onnxruntime cannot load {model_path}: {exc}") from exc


def current_folder(model_dir: Path) -> Path | None:
    pointer = Path(model_dir).expanduser() / CURRENT_FILE
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return pointer.parent / name if name else None


@dataclass
class EdgeModel:
    """A verified local model; `predict` takes rows of named features."""

    session: ort.InferenceSession
    report: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.report["version"])

    @property
    def sha256(self) -> str:
        return str(self.report["sha256"])

    @classmethod
    def load(cls, model_dir: str | Path) -> EdgeModel:
        folder = current_folder(Path(model_dir))
        if folder is None:
            raise EdgeModelError(f"no model in {model_dir}: run an update check first")
        return cls.load_release(folder)

    @classmethod
    def load_release(cls, folder: Path) -> EdgeModel:
        try:
            report = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EdgeModelError(f"{folder / REPORT_FILE} is unreadable: {exc}") from exc
        model_path = folder / MODEL_FILE
        if not model_path.is_file() or sha256_file(model_path) != report.get("sha256"):
            raise EdgeModelError(f"{model_path} is missing or does not match its sha256")
        return cls(open_session(model_path), report)

    def _rows(self, instances: Sequence[Mapping[str, float]]) -> np.ndarray:
        names = list(self.report["feature_names"])
        rows = []
        for index, instance in enumerate(instances):
            missing = [name for name in names if name not in instance]
            if missing:
                raise EdgeModelError(f"instance {index} lacks {', '.join(missing)}")
            values = [float(instance[name]) for name in names]
            if not all(math.isfinite(v) for v in values):
                raise EdgeModelError(f"instance {index} has a value that is not a finite number")
            rows.append(values)
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), len(names))

    def predict(self, instances: Sequence[Mapping[str, float]]) -> list[dict[str, Any]]:
        """One answer per instance: label, class_id and class probabilities (by label)."""
        if not instances:
            return []
        labels = list(self.report["labels"])
        class_ids, probabilities = self.session.run(
            ["label", "probabilities"], {"features": self._rows(instances)}
        )
        return [
            {
                "label": labels[int(class_id)],
                "class_id": int(class_id),
                "probabilities": {
                    label: round(float(p), 6) for label, p in zip(labels, row, strict=True)
                },
            }
            for class_id, row in zip(class_ids, probabilities, strict=True)
        ]
