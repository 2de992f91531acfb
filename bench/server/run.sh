#!/usr/bin/env bash
# Server load test: a generated library of 100 podcasts x 1,000 episodes (100,000 episodes),
# `hark serve` on loopback, then wrk with 200 connections for 60 s: first API reads only, then
# a mix of API reads and audio range requests. Prints the server's memory (VmRSS) idle and
# after the load, and one RESULT line per run (requests/s, p50/p90/p99, errors).
#
#   bench/server/run.sh [BUILD_DIR]     # e.g. build-ci; builds hark there first if missing
#
# Needs wrk (apt-get install wrk) and ffmpeg. Environment: BENCH_PODCASTS (100),
# BENCH_EPISODES (1000), BENCH_SECONDS (60), BENCH_CONNECTIONS (200).
set -euo pipefail
seconds="${BENCH_SECONDS:-60}"
connections="${BENCH_CONNECTIONS:-200}"
source "$(cd "$(dirname "$0")" && pwd)/common.sh"

for mode in api mixed; do
  before=$(cpu)
  wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s -s "$here/mix.lua" \
    "http://127.0.0.1:$port" -- "$mode" "$token" "$podcasts" "$total" \
    "$(audio_ids)" "$audio_size" | grep '^RESULT' | sed "s/^RESULT/RESULT mode=$mode/"
  echo "after $mode: VmRSS $(rss VmRSS), peak VmHWM $(rss VmHWM), server CPU" \
    "$(echo "$(cpu) - $before" | bc) s" >&2
done
