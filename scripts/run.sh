#!/usr/bin/env bash
# The README's run command: installs, builds, then runs hark's main job. Until the server
# arrives that is: generate the sample podcast, subscribe to it (or to the feed given as
# the first argument), and list the episodes.
#   scripts/run.sh                 # the sample podcast
#   scripts/run.sh <feed URL|file> # any feed
# The library lives in $HARK_DATA (default: ./.hark-data in this checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh default hark
export HARK_DATA="${HARK_DATA:-$PWD/.hark-data}"
hark=build/hark

if [ $# -ge 1 ]; then
  feed="$1"
else
  scripts/make-sample-podcast "$PWD/sample"
  feed="$PWD/sample/feed.xml"
fi

echo
"$hark" add "$feed"
"$hark" refresh
echo
"$hark" podcasts
echo
"$hark" episodes
echo
echo "Library: $HARK_DATA   (try: $hark episodes --json, $hark download <EPISODE>)"
