#!/usr/bin/env bash
# The README's run command: installs, builds, then runs hark's main job. Until the server
# arrives that is: generate the sample podcast, subscribe to it (or to the feed given as
# the first argument), run the episode pipeline (publisher transcripts and chapters) on the
# newest episodes, and show what the library now holds.
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
"$hark" episodes -n 10
echo
# The pipeline for the newest three episodes (the sample has three).
for id in $("$hark" episodes --json -n 3 | python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(sys.stdin)))'); do
  "$hark" process "$id" || true
done
newest=$("$hark" episodes --json -n 1 | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e[0]["id"] if e else "")')
if [ -n "$newest" ]; then
  echo
  "$hark" chapters "$newest" || true
  echo
  "$hark" transcript "$newest" --format txt 2>/dev/null | head -n 12 || true
fi
echo
echo "Library: $HARK_DATA"
echo "Try: $hark episodes --json | $hark transcript <EPISODE> --format vtt | $hark chapters <EPISODE> | $hark jobs"
