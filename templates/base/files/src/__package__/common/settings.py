"""Configuration from the environment (pydantic-settings).

Every field reads the environment variable of the same name in upper case (no prefix), e.g.
`MODEL_DIR=models/current`. A `.env` file is read when present and never required. Roles
subclass `Settings` for their own fields (e.g. `redis_url`, `model_server_url`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", protected_namespaces=()
    )

    service_name: str = "serving"
    log_level: str = "INFO"
    model_name: str = "iris"
    model_dir: Path = Path("models/current")
    model_version: str | None = None
    request_timeout_s: float = Field(default=2.0, gt=0)
    max_batch: int = Field(default=64, ge=1)
    # onnxruntime intra-op threads for a serving process (one process per container: 1;
    # 0 lets onnxruntime use one per core)
    onnx_threads: int = Field(default=1, ge=0)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
