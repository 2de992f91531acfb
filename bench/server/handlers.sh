#!/usr/bin/env bash
# Server CPU per request, one request type at a time: wrk with 4 connections for a few
# seconds per path against `hark serve` over the generated library of bench/server/run.sh,
# and the server's user + system CPU time (/proc/<pid>/stat) divided by the requests. This
# holds on a busy machine, where latencies do not.
#
#   bench/server/handlers.sh [BUILD_DIR]      # BENCH_HANDLER_SECONDS (4), BENCH_PATHS
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/common.sh"
seconds="${BENCH_HANDLER_SECONDS:-4}"
default_paths="/api/status
/api/podcasts
/api/podcasts/{podcast}
/api/podcasts/{podcast}/episodes?limit=50
/api/podcasts/{podcast}/episodes?limit=50&offset=950
/api/episodes/{episode}
/api/episodes?limit=50
/api/episodes?limit=50&offset=4000
/api/episodes/in-progress"
# The first page's cursor leads to the second: keyset paging, when the server has it.
next=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/episodes?limit=50" |
  python3 -c 'import json,sys; print(json.load(sys.stdin).get("next_cursor") or "")')
[[ -n "$next" ]] && default_paths+=$'\n'"/api/episodes?limit=50&cursor=$next"
paths="${BENCH_PATHS:-$default_paths}"
printf '%-58s %9s %8s %9s %9s %s\n' "request" "requests" "req/s" "CPU/req" "p99 (c=4)" "errors"
while IFS= read -r path; do
  [[ -z "$path" ]] && continue
  before=$(cpu)
  out=$(wrk -t1 -c4 -d"${seconds}s" --timeout 5s -s "$here/handlers.lua" \
    "http://127.0.0.1:$port" -- "$token" "$podcasts" "$total" "$path" | grep '^RESULT')
  used=$(echo "$(cpu) - $before" | bc)
  n=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$out")
  e=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$out")
  p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$out")
  printf '%-58s %9d %8.0f %6.3f ms %6.2f ms %s\n' "$path" "$n" "$(echo "$n / $seconds" | bc -l)" \
    "$(echo "$used * 1000 / $n" | bc -l)" "$p99" "$e"
done <<<"$paths"
echo "VmRSS $(rss VmRSS), peak VmHWM $(rss VmHWM); load: $(uptime | sed 's/.*load/load/')" >&2
