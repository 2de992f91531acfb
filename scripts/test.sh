#!/usr/bin/env bash
# The README's test command: installs what the tests need, builds with warnings as errors,
# and runs every test suite (unit, integration). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh ci
ctest --preset ci --output-on-failure -j2 "$@"
