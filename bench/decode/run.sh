#!/usr/bin/env bash
# Audio decoding benchmark: hark's media::decode (MP3 → 16 kHz mono float, samples discarded)
# next to the ffmpeg program doing the same conversion, in the same run, on a 1-hour and a
# 3-hour podcast-like MP3 (44.1 kHz stereo, 128 kb/s, speech from the sample podcast).
# Builds nothing: build first (ninja -C BUILD_DIR hark_bench_decode), then
#
#   bench/decode/run.sh [BUILD_DIR] [RUNS]
#
# BUILD_DIR defaults to ./build, RUNS to 3 (medians are reported). The generated MP3s are
# kept in BUILD_DIR/bench-decode and reused (making the 1-hour one takes about a minute).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
runs="${2:-3}"
bench="$build/bench/decode/hark_bench_decode"
[[ -x "$bench" ]] || { echo "missing $bench — build first (ninja -C $build hark_bench_decode)" >&2; exit 1; }

work="$build/bench-decode"
mkdir -p "$work"
quiet=(-hide_banner -loglevel error -nostdin -y)

# The sample podcast's three ~3-minute episodes, repeated to an hour, encoded the way most
# podcasts are published; the 3-hour file is the 1-hour one three times (stream copy).
if [[ ! -s "$work/long-1h.mp3" ]]; then
  [[ -s "$work/sample/episode3.mp3" ]] || "$root/scripts/make-sample-podcast" "$work/sample" >/dev/null
  : >"$work/list-1h.txt"
  for _ in $(seq 1 7); do
    for n in 1 2 3; do echo "file '$work/sample/episode$n.mp3'" >>"$work/list-1h.txt"; done
  done
  ffmpeg "${quiet[@]}" -f concat -safe 0 -i "$work/list-1h.txt" -t 3600 -ar 44100 -ac 2 \
    -c:a libmp3lame -b:a 128k "$work/long-1h.mp3"
fi
if [[ ! -s "$work/long-3h.mp3" ]]; then
  printf "file '%s'\n" "$work/long-1h.mp3" "$work/long-1h.mp3" "$work/long-1h.mp3" >"$work/list-3h.txt"
  ffmpeg "${quiet[@]}" -f concat -safe 0 -i "$work/list-3h.txt" -c copy "$work/long-3h.mp3"
fi

# Wall time and peak RSS of a child process, the median of RUNS.
measure() {
  python3 - "$runs" "$@" <<'PY'
import os, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
walls, rss = [], 0
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    walls.append(time.perf_counter() - t0)
    if status != 0:
        sys.exit(f"{cmd[0]} failed")
    rss = max(rss, usage.ru_maxrss / 1024)
print(f"{statistics.median(walls):.3f} {rss:.1f}")
PY
}

audio_s() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
printf '%-6s %-34s %9s %9s %9s\n' file decoder wall_s speed rss_mb
for f in long-1h long-3h; do
  mp3="$work/$f.mp3"
  secs="$(audio_s "$mp3")"
  row() { awk -v n="$1" -v w="$2" -v r="$3" -v s="$secs" -v f="$f" \
    'BEGIN { printf "%-6s %-34s %9.2f %8.1fx %9.1f\n", f, n, w, s / w, r }'; }
  read -r wall rss < <(measure "$bench" "$mp3" 1)
  row "hark media::decode" "$wall" "$rss"
  hark_wall="$wall"
  read -r wall rss < <(measure ffmpeg "${quiet[@]}" -threads 1 -i "$mp3" -ac 1 -ar 16000 -f f32le /dev/null)
  row "ffmpeg -threads 1" "$wall" "$rss"
  ff1_wall="$wall"
  read -r wall rss < <(measure ffmpeg "${quiet[@]}" -i "$mp3" -ac 1 -ar 16000 -f f32le /dev/null)
  row "ffmpeg (default threads)" "$wall" "$rss"
  awk -v h="$hark_wall" -v a="$ff1_wall" -v b="$wall" -v f="$f" \
    'BEGIN { printf "%-6s hark speed / ffmpeg speed: %.2f (-threads 1), %.2f (default)\n", f, a / h, b / h }'
done
