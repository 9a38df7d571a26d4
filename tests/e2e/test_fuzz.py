"""Combination fuzzing: random valid sets of 3-6 available patterns, each rendered with
`--defaults` and put through every check of the matrix (test_matrix.py).

Set `k` of a run is drawn from its own seed (`base + k`), and the seed is in the test id, so a
failure reproduces alone: `scripts/fuzz.sh 1 SEED`, or `pytest tests/e2e -k seed-SEED` (a seed
named in `-k` is added to the collection). The base seed is `MLSD_FUZZ_SEED`, else derived from
the git commit (CI covers new sets with every commit); `MLSD_FUZZ_SETS` sets how many (2).
`MLSD_FUZZ_MAX_PATTERNS` (set by `scripts/test.sh`, so CI's time stays bounded) skips the seeds
whose set resolves to more patterns than that: the run takes the next seeds instead, and every
seed it runs still reproduces alone with the commands above.

Draws the resolver refuses are part of the test too: each must be refused with a clear message
and exit code 2, and nothing may be written.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import test_matrix as matrix

from mlsd import api
from mlsd.catalog import load_catalog
from mlsd.errors import MlsdError

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SETS = 2
SIZES = (3, 6)
MAX_DRAWS = 500  # a seed that finds no valid set in this many draws is a resolver bug
MAX_SKIPPED_SEEDS = 200  # with a pattern cap: how far past the base seed a run may look
SEED_IN_K = re.compile(r"seed-(\d+)")


@dataclass(frozen=True)
class Draw:
    """What one seed gave: the requested patterns, their resolved set, the refused draws."""

    seed: int
    requested: tuple[str, ...]
    patterns: tuple[str, ...]
    refused: tuple[tuple[str, ...], ...]

    @property
    def id(self) -> str:
        return f"seed-{self.seed}-" + "+".join(self.requested)


@cache
def draw(seed: int) -> Draw:
    """Random sets of 3-6 available patterns until the resolver accepts one."""
    catalog = load_catalog()
    available = [e.id for e in catalog.patterns if e.available]
    rng = random.Random(seed)
    refused: list[tuple[str, ...]] = []
    for _ in range(MAX_DRAWS):
        picked = rng.sample(available, rng.randint(*SIZES))
        requested = tuple(sorted(picked, key=catalog.rank))
        try:
            resolution = api.resolve_selection(requested, use_defaults=True, catalog=catalog)
        except MlsdError:
            refused.append(requested)
            continue
        return Draw(seed, requested, resolution.patterns, tuple(refused))
    raise AssertionError(f"seed {seed}: no valid set in {MAX_DRAWS} draws")


def base_seed() -> int:
    """`MLSD_FUZZ_SEED`, else six digits from the git commit, else 1 (no git)."""
    if os.environ.get("MLSD_FUZZ_SEED"):
        return int(os.environ["MLSD_FUZZ_SEED"])
    out = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        return 1
    return 100_000 + int(out.stdout.strip()[:8], 16) % 900_000


def seeds_within(base: int, count: int, max_patterns: int | None) -> list[int]:
    """The first `count` seeds from `base` whose set resolves to at most `max_patterns`."""
    if max_patterns is None:
        return list(range(base, base + count))
    fitting = (
        s for s in range(base, base + MAX_SKIPPED_SEEDS) if len(draw(s).patterns) <= max_patterns
    )
    return [s for s, _ in zip(fitting, range(count), strict=False)]


def seeds(config: pytest.Config) -> list[int]:
    count = int(os.environ.get("MLSD_FUZZ_SETS", DEFAULT_SETS))
    cap = os.environ.get("MLSD_FUZZ_MAX_PATTERNS")
    chosen = seeds_within(base_seed(), count, int(cap) if cap else None)
    named = [int(s) for s in SEED_IN_K.findall(config.getoption("keyword") or "")]
    return list(dict.fromkeys([*chosen, *named]))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "fuzz_draw" in metafunc.fixturenames:
        draws = [draw(seed) for seed in seeds(metafunc.config)]
        metafunc.parametrize("fuzz_draw", draws, ids=[d.id for d in draws], scope="module")


@pytest.fixture(scope="module")
def project(fuzz_draw: Draw, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drawn set rendered as a user would: `mlsd new --pattern ... --defaults`."""
    target = tmp_path_factory.mktemp(f"fuzz-{fuzz_draw.seed}") / "demo-app"
    result = api.new_project(target, list(fuzz_draw.requested), use_defaults=True)
    assert result.resolution.patterns == fuzz_draw.patterns
    return target


# Every check of the matrix, collected again here against this module's `project` fixture.
test_no_leftover_template_markers = matrix.test_no_leftover_template_markers
test_yaml_toml_json_parse = matrix.test_yaml_toml_json_parse
test_ruff_clean = matrix.test_ruff_clean
test_compose_and_workflow_validate = matrix.test_compose_and_workflow_validate
test_dockerfiles_pass_hadolint = matrix.test_dockerfiles_pass_hadolint
test_kubernetes_objects_validate_offline = matrix.test_kubernetes_objects_validate_offline
test_mlsd_check_finds_no_antipattern = matrix.test_mlsd_check_finds_no_antipattern
test_generated_project_own_tests_pass = matrix.test_generated_project_own_tests_pass


def test_refused_draws_never_render(fuzz_draw: Draw, tmp_path: Path) -> None:
    """The refused draws of this seed: a clear message naming a chosen pattern, exit code 2
    through the CLI without a traceback, and no folder written."""
    for n, requested in enumerate(fuzz_draw.refused[:3]):
        target = tmp_path / f"refused-{n}"
        with pytest.raises(MlsdError) as caught:
            api.new_project(target, list(requested), use_defaults=True)
        message = str(caught.value)
        assert caught.value.exit_code == 2, message
        assert any(p in message for p in requested) or "not available" in message, message
        cmd = [sys.executable, "-m", "mlsd", "new", str(target), "--defaults"]
        cmd += [arg for p in requested for arg in ("--pattern", p)]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        assert out.returncode == 2, out.stdout + out.stderr
        assert "Traceback" not in out.stderr and message.split(":")[0] in out.stderr
        assert not target.exists(), f"{requested} was refused but {target} was written"


def test_a_pattern_cap_skips_larger_sets_and_keeps_the_count() -> None:
    chosen = seeds_within(5000, 3, 6)
    assert len(chosen) == 3 and chosen == sorted(chosen) and chosen[0] >= 5000
    assert all(len(draw(s).patterns) <= 6 for s in chosen)
    skipped = [s for s in range(5000, chosen[-1]) if s not in chosen]
    assert all(len(draw(s).patterns) > 6 for s in skipped)
    assert seeds_within(5000, 3, None) == [5000, 5001, 5002]


def test_draws_are_reproducible() -> None:
    first = draw(1234)
    draw.cache_clear()
    again = draw(1234)
    assert again == first
    assert SIZES[0] <= len(first.requested) <= SIZES[1]
    assert set(first.requested) <= set(first.patterns)
