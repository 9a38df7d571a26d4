#!/usr/bin/env bash
# The whole test suite: install, lint, then mlsd's tests (unit, check rules, the matrix that
# renders every available pattern and runs each generated project's own tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
python -m ruff check .
python -m ruff format --check .
python -m pytest -q "$@"
