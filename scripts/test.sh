#!/usr/bin/env bash
# The whole test suite: install, lint, then mlsd's tests (unit, check rules, the matrix that
# renders every available pattern and runs each generated project's own tests, and the fuzz
# that does the same for a few random valid sets of patterns).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
python -m ruff check .
python -m ruff format --check .
# One worker more than cores (MLSD_TEST_WORKERS to choose): the matrix and the fuzz run whole
# generated suites, which wait on servers, timeouts and subprocesses about half the time
# (2 workers kept 2 cores 56% busy, 3 workers 80%: a matrix subset 142 s -> 102 s); every
# server they start takes a free port, so workers never clash.
# worksteal evens out the long tests; --durations shows the slowest.
# The two fuzz sets of a run resolve to at most 7 patterns (the lifecycle sets of 8-11 take
# 2-3 minutes each, and the matrix runs the lifecycle presets): scripts/fuzz.sh draws any size.
export MLSD_FUZZ_MAX_PATTERNS="${MLSD_FUZZ_MAX_PATTERNS:-7}"
python -m pytest -q -n "${MLSD_TEST_WORKERS:-$(( $(nproc) + 1 ))}" --dist worksteal --durations=15 "$@"
