"""Typed request and response models. Ranges reject impossible measurements with a 422."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_BATCH = 64

FEATURE_NAMES = ("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm")


class IrisFeatures(BaseModel):
    """One flower, measured in centimetres."""

    model_config = ConfigDict(extra="forbid")

    sepal_length_cm: float = Field(
        ge=0.0, le=12.0, allow_inf_nan=False, description="Sepal length in cm (0-12)"
    )
    sepal_width_cm: float = Field(
        ge=0.0, le=8.0, allow_inf_nan=False, description="Sepal width in cm (0-8)"
    )
    petal_length_cm: float = Field(
        ge=0.0, le=10.0, allow_inf_nan=False, description="Petal length in cm (0-10)"
    )
    petal_width_cm: float = Field(
        ge=0.0, le=5.0, allow_inf_nan=False, description="Petal width in cm (0-5)"
    )

    def as_row(self) -> list[float]:
        return [getattr(self, name) for name in FEATURE_NAMES]


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instances: list[IrisFeatures] = Field(
        min_length=1,
        max_length=MAX_BATCH,
        description=f"1 to {MAX_BATCH} flowers to classify",
    )


class Prediction(BaseModel):
    label: str
    class_id: int
    probabilities: dict[str, float]


class PredictResponse(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    request_id: str
    model_name: str
    model_version: str
    predictions: list[Prediction]
