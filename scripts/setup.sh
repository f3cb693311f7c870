#!/usr/bin/env bash
# Set up a virtual environment in .venv with the project installed from pyproject.toml.
#   scripts/setup.sh          the workbench itself
#   scripts/setup.sh --test   plus the test tools, Ray (the [ray] extra), and Debian's chromium + chromium-driver
#                             (browser test) and omegat (the CAT-tool round trip)
#                             (apt-get; needs root or sudo)
# Idempotent: re-running only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
if [[ "${1:-}" == "--test" ]]; then
    extras="[test,ray]"
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v omegat >/dev/null; then
        sudo=""
        if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver omegat >/dev/null
    fi
fi
if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
