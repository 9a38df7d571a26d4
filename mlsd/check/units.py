"""A deployable unit of a repository (a serving or a training unit) and the files it
holds. Units are plain data: they name files, and read them through a Context."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from mlsd.check import vocab
from mlsd.check.context import Context, is_test_path
from mlsd.check.dockerfile import Dockerfile
from mlsd.check.pyfacts import PyModule


@dataclass
class Unit:
    kind: str  # "serving" | "training"
    name: str
    path: str  # where a unit-level finding points
    line: int
    entries: list[str] = field(default_factory=list)
    dockerfile: Dockerfile | None = None
    platform: str | None = None  # a model-server image (Triton, TF Serving...)
    reasons: list[str] = field(default_factory=list)
    closure: dict[str, tuple[str, int] | None] = field(default_factory=dict)

    def modules(self, ctx: Context) -> Iterator[PyModule]:
        for rel in self.closure:
            mod = ctx.modules.get(rel)
            if mod is not None:
                yield mod

    def imports_any(self, ctx: Context, prefixes: frozenset[str] | set[str]) -> bool:
        return any(m.imports_any(prefixes) for m in self.modules(ctx))

    def chain(self, rel: str) -> str:
        """`a.py -> b.py -> rel`: how rel is reached from an entry."""
        steps = [rel]
        while (parent := self.closure.get(steps[-1])) is not None and len(steps) < 20:
            steps.append(parent[0])
        return " -> ".join(reversed(steps))

    def anchor(self, ctx: Context) -> tuple[str, int]:
        """Where a unit-level finding points: the app creation line, else the unit's file."""
        for rel in self.entries:
            mod = ctx.modules.get(rel)
            if mod is not None:
                m = vocab.APP_TEXT.search(mod.text) or vocab.UI_APP_TEXT.search(mod.text)
                return rel, (mod.text.count("\n", 0, m.start()) + 1) if m else 1
        return self.path, self.line

    @property
    def label(self) -> str:
        if self.dockerfile is not None and self.entries:
            return f"{self.dockerfile.path} ({self.entries[0]})"
        return self.name

    def text(self, ctx: Context) -> str:
        """All source text of the unit's modules, lower-cased (for cheap keyword tests)."""
        return "\n".join(m.text for m in self.modules(ctx)).lower()


def excluded(ctx: Context, rel: str) -> bool:
    """Tests and `[tool.mlsd.components] exclude` globs are never part of a unit."""
    return is_test_path(rel) or ctx.matches(rel, ctx.cfg.component_exclude)
