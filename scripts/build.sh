#!/usr/bin/env bash
# Configures and builds hark with a CMake preset: scripts/build.sh [PRESET] [TARGET...]
# Presets: default (build/), ci (build-ci/, warnings are errors), asan (build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
shift || true
cmake --preset "$preset" >/dev/null
if [ $# -gt 0 ]; then
  cmake --build --preset "$preset" --target "$@"
else
  cmake --build --preset "$preset"
fi
