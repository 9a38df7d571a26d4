#!/usr/bin/env bash
# Installs what mlsd and the projects it renders need on a fresh Debian machine:
# redis-server (system package, for the asynchronous pattern's real-server tests) and mlsd
# itself with its dev extra (every package a generated project uses).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1; then
  echo "installing redis-server"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
python -m pip install -q --disable-pip-version-check -e ".[dev]"
