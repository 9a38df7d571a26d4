"""Helpers: build small repository trees inline (`files: {path: content}`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def build_tree(root: Path, files: dict[str, Any]) -> Path:
    """Write a tree. A value is text, or a mapping: {sparse_mb: N} for a big artefact made
    without writing its bytes, {bytes_hex: "..."} for raw bytes."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            if "sparse_mb" in content:
                with open(path, "wb") as fh:
                    fh.truncate(int(content["sparse_mb"] * 1024 * 1024))
            elif "bytes_hex" in content:
                path.write_bytes(bytes.fromhex(content["bytes_hex"]))
            else:
                raise ValueError(f"unknown file spec for {rel}: {content}")
        else:
            path.write_text(str(content), encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path):
    def make(files: dict[str, Any]) -> Path:
        return build_tree(tmp_path, files)

    return make
