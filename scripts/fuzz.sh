#!/usr/bin/env bash
# Combination fuzzing: N random valid pattern sets (default 10), each rendered and put through
# every check of the matrix, including the generated project's own tests (CI=true: a missing
# backing server fails). Set k is drawn from seed SEED+k (default SEED: from the git commit),
# so `scripts/fuzz.sh 1 SEED` reproduces one set. Extra arguments go to pytest
# (e.g. `-n 2` to use two cores, `-x` to stop at the first failure).
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: scripts/fuzz.sh [N] [SEED] [pytest args...]  (N, SEED: whole numbers)" >&2; exit 2; }
sets="${1:-10}"
[[ "$sets" =~ ^[0-9]+$ ]] || usage
export MLSD_FUZZ_SETS="$sets"
if [ $# -ge 2 ]; then
  [[ "$2" =~ ^[0-9]+$ ]] || usage
  export MLSD_FUZZ_SEED="$2"
fi
shift $(( $# < 2 ? $# : 2 ))
export CI="${CI:-true}"
exec python -m pytest tests/e2e/test_fuzz.py -q -p no:cacheprovider -rfE --durations=10 "$@"
