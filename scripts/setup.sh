#!/usr/bin/env bash
# Set up a virtual environment in .venv with the project installed from pyproject.toml.
#   scripts/setup.sh          the workbench itself
#   scripts/setup.sh --test   plus the test tools, Ray (the [ray] extra), MkDocs (the [docs] extra),
#                             and Debian's chromium + chromium-driver (browser test) and omegat
#                             (the CAT-tool round trip) (apt-get; needs root or sudo)
# Idempotent: re-running only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*" >&2; }
extras=""
if [[ "${1:-}" == "--test" ]]; then
    extras="[test,ray,docs]"
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v omegat >/dev/null; then
        step "installing Debian's chromium, chromium-driver and omegat (for the browser and CAT-tool tests)"
        sudo=""
        if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver omegat >/dev/null
    fi
fi
if [[ ! -x .venv/bin/python ]]; then
    step "making the virtual environment .venv"
    python3 -m venv .venv
fi
step "installing the workbench${extras:+ with $extras} into .venv (a minute or two the first time)"
set +e
.venv/bin/python -m pip install --quiet --disable-pip-version-check --progress-bar off -e ".${extras}" 2>&1 \
    | grep -v "^WARNING: Location .* is ignored" >&2
status=${PIPESTATUS[0]}
set -e
if [[ $status != 0 ]]; then echo "error: pip failed (status $status; see above)" >&2; exit "$status"; fi
# Bytecode now, not at each start: where PYTHONDONTWRITEBYTECODE is set, every command would
# compile its imports again (0.2 s of a 0.4 s `workbench detect`).
step "compiling bytecode"
.venv/bin/python -m compileall -q -j0 .venv/lib/python3*/site-packages workbench >/dev/null 2>&1 || true
# The detectors' tables, unpacked into the user's cache now rather than in the first run (5 s).
step "unpacking the language detectors' tables into ${XDG_CACHE_HOME:-~/.cache}/translation-workbench"
.venv/bin/python -c "from workbench.split import heli, langid; heli.tables(); langid.load_backend('py3langid')"
if [[ -n "$extras" ]]; then
    step "done; run the tests with: .venv/bin/python -m pytest"
else
    step "done; translate the sample corpus with: .venv/bin/workbench translate   (or: source .venv/bin/activate)"
fi
