"""The shared, lazily-built view of a repository that every rule reads: its files
(`reader`), its import graph (`modgraph`), its manifests (`manifests`) and the settings."""

from __future__ import annotations

from pathlib import Path

from mlsd.check.config import Config
from mlsd.check.findings import Skipped
from mlsd.check.manifests import K8sObject, Manifests
from mlsd.check.modgraph import ModuleGraph
from mlsd.check.reader import file_size, is_lfs_pointer, is_test_path, path_parts
from mlsd.check.walk import FileEntry

__all__ = [
    "Context",
    "K8sObject",
    "file_size",
    "is_lfs_pointer",
    "is_test_path",
    "path_parts",
]


class Context(ModuleGraph, Manifests):
    def __init__(
        self, root: Path, cfg: Config, files: list[FileEntry], skipped: list[Skipped]
    ) -> None:
        super().__init__(root, files, skipped, cfg.max_file_size_kb * 1024)
        self.cfg = cfg

    def close(self) -> None:
        """Free the parsed modules once the rules ran (nothing else holds the context)."""
        self.release()

    def threshold(self, name: str) -> int:
        """A configured limit (`[tool.mlsd.thresholds]`), e.g. `large-model-mb`."""
        return self.cfg.thresholds[name]
