#!/usr/bin/env bash
# The README's test command: installs what the tests need, builds with warnings as errors,
# and runs every test suite (unit, integration). CI runs exactly this. The real speech-to-text
# test starts the local Whisper service (scripts/asr-service; its venv is installed from PyPI
# on the first run, ~1 min) on a free port and stops it again; the real language-model test
# does the same with scripts/llm-service (its first install compiles llama.cpp: ~3.5 min of
# two free cores, while the other tests run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-node-deps
scripts/build.sh ci
ctest --preset ci --output-on-failure -j2 "$@"
