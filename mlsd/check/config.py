"""Configuration: `[tool.mlsd]` in pyproject.toml or `.mlsd.yml`, merged with CLI flags.

Unknown keys, unknown codes and bad values raise `UsageError` (exit 2); nothing is ignored.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd.check.findings import Severity
from mlsd.errors import UsageError

CONFIG_FILES = (".mlsd.yml", ".mlsd.yaml", "pyproject.toml")
OUTPUT_FORMATS = ("text", "concise", "json", "sarif", "github", "markdown")

DEFAULT_THRESHOLDS: dict[str, int] = {
    "large-model-mb": 500,
    "heavy-parameters-m": 1000,  # a config stating more parameters (millions) is heavy
    "pipeline-max-nodes": 30,
    "pipeline-max-fan-in": 8,
    "max-data-stores": 3,
    "max-connection-modules": 3,
}

TOP_KEYS = {
    "select",
    "extend-select",
    "ignore",
    "per-path-ignores",
    "exclude",
    "respect-gitignore",
    "fail-on",
    "output-format",
    "baseline",
    "max-file-size-kb",
    "components",
    "thresholds",
    "packs",  # pattern packs for mlsd new/add (mlsd.packs); `check` does not use them
}
COMPONENT_KEYS = {"serving", "training", "exclude"}


@dataclass
class Config:
    select: list[str] | None = None  # None: every default-enabled rule
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True
    fail_on: Severity = Severity.WARNING  # info findings never fail a run by default
    output_format: str = "text"
    baseline: str | None = None
    max_file_size_kb: int = 10_240
    serving: list[str] = field(default_factory=list)
    training: list[str] = field(default_factory=list)
    component_exclude: list[str] = field(default_factory=list)
    thresholds: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    source: str | None = None  # the file it came from


def _unknown_key(key: str, known: set[str], where: str) -> UsageError:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(sorted(known))}"
    return UsageError(f"unknown configuration key '{key}' in {where}", hint=hint)


def _str_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"'{key}' in {where} must be a list of strings")
    return list(value)


def find_config(root: Path) -> Path | None:
    for name in CONFIG_FILES:
        candidate = root / name
        if not candidate.is_file():
            continue
        if name != "pyproject.toml":
            return candidate
        if "mlsd" in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read {path.name}: {exc}") from None


def read_config_file(path: Path) -> dict[str, Any]:
    """The raw mapping from a config file (a pyproject's `[tool.mlsd]`, or the whole file)."""
    if not path.is_file():
        raise UsageError(f"configuration file not found: {path}")
    if path.suffix == ".toml":
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("mlsd", {})
        return data
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path.name} must be a mapping of settings")
    return data


def build_config(raw: dict[str, Any], where: str = "configuration") -> Config:
    cfg = Config(source=where)
    for key, value in raw.items():
        if key not in TOP_KEYS:
            raise _unknown_key(key, TOP_KEYS, where)
        if key == "packs":
            continue
        if key in ("select", "extend-select", "ignore", "exclude"):
            setattr(cfg, key.replace("-", "_"), _str_list(value, key, where))
        elif key == "per-path-ignores":
            if not isinstance(value, dict):
                raise UsageError(f"'per-path-ignores' in {where} must map globs to codes")
            cfg.per_path_ignores = {str(k): _str_list(v, key, where) for k, v in value.items()}
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise UsageError(f"'respect-gitignore' in {where} must be true or false")
            cfg.respect_gitignore = value
        elif key == "fail-on":
            cfg.fail_on = Severity.parse(str(value))
        elif key == "output-format":
            cfg.output_format = check_format(str(value))
        elif key == "baseline":
            cfg.baseline = str(value)
        elif key == "max-file-size-kb":
            cfg.max_file_size_kb = _positive_int(value, key, where)
        elif key == "components":
            _components(cfg, value, where)
        elif key == "thresholds":
            _thresholds(cfg, value, where)
    return cfg


def _positive_int(value: Any, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise UsageError(f"'{key}' in {where} must be a positive integer")
    return value


def _components(cfg: Config, value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise UsageError(f"'components' in {where} must be a table")
    for k, v in value.items():
        if k not in COMPONENT_KEYS:
            raise _unknown_key(k, COMPONENT_KEYS, f"{where} [components]")
        attr = "component_exclude" if k == "exclude" else k
        setattr(cfg, attr, _str_list(v, k, where))


def _thresholds(cfg: Config, value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise UsageError(f"'thresholds' in {where} must be a table")
    for k, v in value.items():
        if k not in DEFAULT_THRESHOLDS:
            raise _unknown_key(k, set(DEFAULT_THRESHOLDS), f"{where} [thresholds]")
        cfg.thresholds[k] = _positive_int(v, k, where)


def check_format(value: str) -> str:
    if value not in OUTPUT_FORMATS:
        raise UsageError(
            f"unknown output format '{value}'", hint=f"use one of: {', '.join(OUTPUT_FORMATS)}"
        )
    return value


def load_config(root: Path, config_file: Path | None = None) -> Config:
    path = config_file or find_config(root)
    if path is None:
        return Config()
    return build_config(read_config_file(path), where=path.name)
