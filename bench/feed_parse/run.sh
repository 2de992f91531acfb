#!/usr/bin/env bash
# Feed parsing benchmark: hark's feed::parse against Python's feedparser on the same file,
# in the same run. Builds nothing: build first (e.g. scripts/build.sh), then
#
#   bench/feed_parse/run.sh [BUILD_DIR] [EPISODES] [ITERATIONS]
#
# BUILD_DIR defaults to ./build, EPISODES to 5000, ITERATIONS (hark) to 20. feedparser runs
# 3 times (it is slow). Uses Debian's /usr/bin/python3, which has python3-feedparser.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
episodes="${2:-5000}"
iterations="${3:-20}"
python=/usr/bin/python3
bench="$build/bench/feed_parse/hark_bench_feed_parse"

[[ -x "$bench" ]] || { echo "missing $bench — build first (ninja -C $build hark_bench_feed_parse)" >&2; exit 1; }
"$python" -c 'import feedparser' 2>/dev/null || { echo "$python has no feedparser (apt install python3-feedparser)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed.xml"
"$python" "$here/make_feed.py" "$episodes" "$feed"
echo "feed: $episodes episodes, $(stat -c %s "$feed") bytes"
echo

hark_out="$("$bench" "$feed" "$iterations")"
echo "$hark_out" | grep -v '^RESULT'
hark_mbps="$(echo "$hark_out" | sed -n 's/^RESULT mbps=\([0-9.]*\).*/\1/p')"
echo

fp_mbps="$("$python" - "$feed" <<'PY'
import statistics, sys, time
import feedparser
data = open(sys.argv[1], "rb").read()
runs = []
for _ in range(3):
    t0 = time.perf_counter()
    d = feedparser.parse(data)
    runs.append(time.perf_counter() - t0)
med = statistics.median(runs)
mb = len(data) / 1e6
print(f"feedparser {feedparser.__version__}: {mb:.1f} MB, {len(d.entries)} entries, 3 runs", file=sys.stderr)
print(f"  median {med * 1e3:8.1f} ms  {mb / med:8.2f} MB/s  {len(d.entries) / med:10.0f} episodes/s", file=sys.stderr)
print(f"{mb / med:.4f}")
PY
)"
echo
awk -v h="$hark_mbps" -v f="$fp_mbps" 'BEGIN { printf "hark %.1f MB/s vs feedparser %.2f MB/s: %.0fx faster\n", h, f, h / f }'
