#!/usr/bin/env bash
# The README's run command: installs, builds, then runs hark's main job, the web player:
# 1. starts the three local AI services (each installs itself into .venv/ the first time) and
#    points hark at them through the environment:
#      speech-to-text  scripts/asr-service         (Whisper base)         HARK_ASR_URL
#      language model  scripts/llm-service         (SmolLM2-135M)         HARK_LLM_URL
#      embeddings      scripts/embeddings-service  (multilingual-e5-small) HARK_EMBEDDINGS_URL
#    A service that does not start is reported and skipped (hark then works without it:
#    extractive snips, search by words only, publisher transcripts only). A HARK_*_URL already
#    set in the environment is used as it is, and that local service is not started.
# 2. generates the sample podcast and subscribes to it (or to the feed given as the first
#    argument), runs the episode pipeline (publisher transcripts, else speech-to-text; search
#    index and its embeddings; chapters; highlights and summaries) on the newest episodes,
#    shows what the library holds, runs speech-to-text on the newest episode anyway
#    (`hark transcribe --force`) and prints its word error rate against the publisher's
#    transcript;
# 3. prints which AI services are running and the address to open, then starts `hark serve`
#    in the foreground (Ctrl-C stops it) at http://127.0.0.1:8080 (HARK_LISTEN to change).
#    On the first visit the server's setup link (printed below) creates your account, which
#    sees the library the CLI built.
# The AI services keep running; stop them with: scripts/{asr,llm,embeddings}-service stop
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

# The local AI services. start_service NAME VAR prints the service's base URL (or the one
# already in $VAR) and returns 1, with a message, when it cannot be had.
services=()  # "what|URL or why not" lines for the summary at the end
start_service() {
  local name="$1" var="$2" url=""
  if [ -n "${!var:-}" ]; then
    echo "${!var}"
    return 0
  fi
  echo "run.sh: starting scripts/$name-service (the first run installs it; see its messages)" >&2
  if url="$(scripts/$name-service start)" && [ -n "$url" ]; then
    echo "$url"
  else
    echo "run.sh: scripts/$name-service did not start (see above); continuing without it" >&2
    return 1
  fi
}

# Speech-to-text: hark reads HARK_ASR_URL (one OpenAI-compatible endpoint) and HARK_ASR_MODEL.
asr_url=""
if asr_url="$(start_service asr HARK_ASR_URL)"; then
  export HARK_ASR_URL="$asr_url" HARK_ASR_MODEL="${HARK_ASR_MODEL:-base}"
  services+=("speech-to-text|$asr_url (model $HARK_ASR_MODEL): episodes without a publisher transcript are transcribed")
else
  asr_url=""
  services+=("speech-to-text|not running: only episodes with a publisher transcript get one")
fi
# Language model: HARK_LLM_URL is the API base (hark would add /v1 to a bare address too),
# HARK_LLM_MODEL the model's name; the tiny CPU model can take half a minute per snip on a
# busy machine, so the timeout is longer than the default 60 s.
if llm_url="$(start_service llm HARK_LLM_URL)"; then
  [[ "$llm_url" =~ ^https?://[^/]+/?$ ]] && llm_url="${llm_url%/}/v1"
  export HARK_LLM_URL="$llm_url" HARK_LLM_MODEL="${HARK_LLM_MODEL:-smollm2-135m-instruct}"
  export HARK_LLM_TIMEOUT_SECONDS="${HARK_LLM_TIMEOUT_SECONDS:-300}"
  services+=("language model|$llm_url (model $HARK_LLM_MODEL): it writes snips' titles, summaries, takeaways and quotes")
else
  services+=("language model|not running: snips are written by the extractive engine")
fi
# Embeddings: HARK_EMBEDDINGS_URL (API base), model multilingual-e5-small unless
# HARK_EMBEDDINGS_MODEL names another. The pipeline's index step embeds every passage.
if emb_url="$(start_service embeddings HARK_EMBEDDINGS_URL)"; then
  [[ "$emb_url" =~ ^https?://[^/]+/?$ ]] && emb_url="${emb_url%/}/v1"
  export HARK_EMBEDDINGS_URL="$emb_url"
  services+=("embeddings|$emb_url (model ${HARK_EMBEDDINGS_MODEL:-multilingual-e5-small}): search finds moments by meaning too")
else
  services+=("embeddings|not running: search finds words only")
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
echo "Try: $hark episodes --json | $hark transcript <EPISODE> --format vtt | $hark chapters <EPISODE> | $hark jobs | $hark snip <EPISODE> --at 1:30 | $hark highlights <EPISODE> | $hark search \"QUERY\""
echo
echo "AI services (hark's commands and server use them through these variables):"
for line in "${services[@]}"; do printf '  %-15s %s\n' "${line%%|*}" "${line#*|}"; done
exports=""
for var in HARK_ASR_URL HARK_ASR_MODEL HARK_LLM_URL HARK_LLM_MODEL HARK_LLM_TIMEOUT_SECONDS HARK_EMBEDDINGS_URL; do
  [ -n "${!var:-}" ] && exports+=" $var=${!var}"
done
[ -n "$exports" ] && echo "  In another shell, for the commands above: export$exports HARK_DATA=$HARK_DATA"
echo "  Stop them with: scripts/asr-service stop; scripts/llm-service stop; scripts/embeddings-service stop"
if [ "${HARK_RUN_SERVE:-1}" != "0" ]; then
  listen="${HARK_LISTEN:-127.0.0.1:8080}"
  open_host="${listen%:*}"
  [ "$open_host" = "0.0.0.0" ] && open_host=localhost
  echo
  echo "Starting the web player (Ctrl-C stops it). Open http://$open_host:${listen##*:} in a"
  echo "browser; the first visit asks for the setup link printed below, which creates your account."
  exec "$hark" serve
fi
