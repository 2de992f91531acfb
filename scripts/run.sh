#!/usr/bin/env bash
# The README's run command: installs, builds, then runs hark's main job, the web player:
# generate the sample podcast, subscribe to it (or to the feed given as the first argument),
# start the local speech-to-text service (scripts/asr-service: real Whisper base; installs
# itself into .venv/asr the first time) and point hark at it, run the episode pipeline
# (publisher transcripts, else speech-to-text; chapters; highlights and summaries) on the
# newest episodes, show what the library holds, run speech-to-text on the newest episode
# anyway (`hark transcribe --force`) and print its word error rate against the publisher's
# transcript, and finally start `hark serve` in the foreground (Ctrl-C stops it) at
# http://127.0.0.1:8080 (HARK_LISTEN to change). On the first visit the server's setup link
# (printed below) creates your account, which sees the library the CLI built.
# The speech service keeps running; stop it with: scripts/asr-service stop
#   scripts/run.sh                 # the sample podcast
#   scripts/run.sh <feed URL|file> # any feed
#   HARK_RUN_SERVE=0 scripts/run.sh  # everything but the server
# The library lives in $HARK_DATA (default: ./.hark-data in this checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-node-deps
scripts/build.sh default hark
export HARK_DATA="${HARK_DATA:-$PWD/.hark-data}"
hark=build/hark

# Speech-to-text: hark reads HARK_ASR_URL (one OpenAI-compatible endpoint) and HARK_ASR_MODEL.
asr_url=""
if asr_url="$(scripts/asr-service start)"; then
  export HARK_ASR_URL="$asr_url" HARK_ASR_MODEL="${HARK_ASR_MODEL:-base}"
else
  asr_url=""
  echo "run.sh: the local speech-to-text service did not start (see above); continuing without it" >&2
fi

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
  if [ -n "$asr_url" ]; then
    echo
    echo "Speech-to-text of episode $newest through $asr_url (the publisher transcript is kept):"
    "$hark" transcribe "$newest" --force || true
  fi
fi
echo
echo "Library: $HARK_DATA"
echo "Try: $hark episodes --json | $hark transcript <EPISODE> --format vtt | $hark chapters <EPISODE> | $hark jobs | $hark snip <EPISODE> --at 1:30 | $hark highlights <EPISODE>"
if [ "${HARK_RUN_SERVE:-1}" != "0" ]; then
  echo
  echo "Starting the web player (Ctrl-C stops it). Open the address below in a browser; the"
  echo "first visit asks for the setup link it prints, which creates your account."
  exec "$hark" serve
fi
