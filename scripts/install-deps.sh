#!/usr/bin/env bash
# Installs everything hark needs to build, run and test on Debian 12 / Ubuntu.
# Runs apt as root (directly, or through sudo). Safe to run again.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format
  # libraries (Debian -dev packages only; nothing is downloaded at configure time)
  libcurl4-openssl-dev libpugixml-dev libsqlite3-dev sqlite3 nlohmann-json3-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libicu-dev libsodium-dev
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libgumbo-dev
  libcpp-httplib-dev libgtest-dev libgmock-dev libbenchmark-dev libhnswlib-dev
  # the sample podcast: speech synthesis and encoding
  espeak-ng ffmpeg
  # the local AI services (scripts/*-service: Python virtual environments, health checks)
  python3 python3-venv curl
  # benchmarks and test tooling
  python3-feedparser python3-yaml
  # word classes for the insight engine's titles (WordNet 3.0 database files)
  wordnet-base
  # the web player's end-to-end tests in headless Chromium (playwright-core drives Debian's
  # browser; none is downloaded)
  chromium
)

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm for the web player's npm packages (scripts/install-node-deps), by command
# rather than by package: a machine with NodeSource's `nodejs` (which bundles npm) has no
# Debian `npm` package, and asking apt for one conflicts with it.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
