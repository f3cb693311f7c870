#!/usr/bin/env bash
# Set up a virtual environment in .venv with the project installed from pyproject.toml.
#   scripts/setup.sh          the workbench itself
#   scripts/setup.sh --test   plus the test tools
# Idempotent: re-running only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
if [[ "${1:-}" == "--test" ]]; then
    extras="[test]"
fi
if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
