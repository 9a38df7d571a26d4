"""Load a trained model directory (`model.onnx` + `metadata.json`) and predict with onnxruntime.

The sha256 recorded in the metadata is checked before the model is used, so a truncated or
tampered file is refused with `ModelLoadError` instead of serving wrong answers.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from .schema import IrisFeatures, Prediction

MODEL_FILE = "model.onnx"
METADATA_FILE = "metadata.json"
REQUIRED_METADATA = ("name", "version", "sha256", "labels", "feature_names")


class ModelLoadError(RuntimeError):
    """The model directory is missing, incomplete or does not match its checksum."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Predictor:
    def __init__(self, session: ort.InferenceSession, metadata: dict[str, Any]) -> None:
        self._session = session
        self.metadata = metadata
        self.name: str = metadata["name"]
        self.version: str = metadata["version"]
        self.labels: list[str] = list(metadata["labels"])
        self._input = session.get_inputs()[0].name
        # the second output: class probabilities (the first, the label, is their argmax)
        self._probabilities = [session.get_outputs()[1].name]

    @classmethod
    def load(cls, model_dir: Path, threads: int = 0) -> Predictor:
        """Load and verify a version dir. `threads` is onnxruntime's intra-op thread count
        (0: its default, one per core; a service runs one process per container and asks
        for 1, which spares a small model the thread pool's hand-offs)."""
        model_dir = Path(model_dir)
        model_path = model_dir / MODEL_FILE
        metadata_path = model_dir / METADATA_FILE
        if not model_dir.is_dir():
            raise ModelLoadError(f"model directory {model_dir} does not exist")
        for path in (model_path, metadata_path):
            if not path.is_file():
                raise ModelLoadError(f"{path} is missing: train a model or fetch one first")
        try:
            metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"{metadata_path} is not valid JSON: {exc}") from exc
        missing = [key for key in REQUIRED_METADATA if key not in metadata]
        if missing:
            raise ModelLoadError(f"{metadata_path} lacks {', '.join(missing)}")
        actual = sha256_file(model_path)
        if actual != metadata["sha256"]:
            raise ModelLoadError(
                f"{model_path} is corrupt: sha256 {actual} does not match the recorded "
                f"{metadata['sha256']}"
            )
        try:
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            session = ort.InferenceSession(
                str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelLoadError(f"onnxruntime could not load {model_path}: {exc}") from exc
        return cls(session, metadata)

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """Class probabilities for an (n, 4) float array, columns in `labels` order."""
        rows = rows.astype(np.float32, copy=False)
        [probabilities] = self._session.run(self._probabilities, {self._input: rows})
        return np.asarray(probabilities, dtype=np.float64)

    def predict(self, instances: list[IrisFeatures]) -> list[Prediction]:
        # built from the model's own output: no validation
        return [Prediction.model_construct(**answer) for answer in self.answers(instances)]

    def answers(self, instances: list[IrisFeatures]) -> list[dict[str, Any]]:
        """`predict` as JSON-ready dicts, the shape of `Prediction` (the model server's hot
        path: no model objects built only to be dumped again)."""
        if not instances:
            return []
        rows = np.array([x.as_row() for x in instances], dtype=np.float32)
        probabilities = self.predict_proba(rows)
        class_ids = probabilities.argmax(axis=1).tolist()
        return [
            {
                "label": self.labels[class_id],
                "class_id": class_id,
                "probabilities": {
                    label: round(p, 6) for label, p in zip(self.labels, row, strict=True)
                },
            }
            # Python floats (tolist) round as fast as they print, unlike numpy scalars
            for class_id, row in zip(class_ids, probabilities.tolist(), strict=True)
        ]
