#!/usr/bin/env bash
# The main job: render a demo project with the minimal preset, train its model, start its
# service as a local process, show a real prediction over HTTP, and stop it again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
target="${1:-demo}"
if [ -e "$target" ]; then echo "$target exists: remove it or pass another path"; exit 2; fi
mlsd new "$target" --preset minimal --defaults
cd "$target"
make demo
