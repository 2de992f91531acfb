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

# Runs the three decoders on FILE RUNS times, interleaved (hark, ffmpeg -threads 1, ffmpeg)
# so that background load on a shared machine hits them alike, and prints a table row per
# decoder with the median wall time and the peak RSS (getrusage of the child).
compare() {
  python3 - "$runs" "$1" "$bench" "${quiet[@]}" <<'PY'
import os, statistics, subprocess, sys, time
runs, mp3, bench, quiet = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
secs = float(subprocess.check_output(
    ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", mp3]))
to_pcm = ["-ac", "1", "-ar", "16000", "-f", "f32le", "/dev/null"]
decoders = {
    "hark media::decode": [bench, mp3, "1"],
    "ffmpeg -threads 1": ["ffmpeg", *quiet, "-threads", "1", "-i", mp3, *to_pcm],
    "ffmpeg (default threads)": ["ffmpeg", *quiet, "-i", mp3, *to_pcm],
}
walls = {name: [] for name in decoders}
rss = {name: 0.0 for name in decoders}
for _ in range(runs):
    for name, cmd in decoders.items():
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        walls[name].append(time.perf_counter() - t0)
        if status != 0:
            sys.exit(f"{name} failed")
        rss[name] = max(rss[name], usage.ru_maxrss / 1024)
name = os.path.basename(mp3)
med = {n: statistics.median(w) for n, w in walls.items()}
for n in decoders:
    print(f"{name:12} {n:26} {med[n]:8.2f} {secs / med[n]:8.0f}x {min(walls[n]):8.2f} {rss[n]:8.1f}")
hark = med["hark media::decode"]
print(f"{name:12} hark speed / ffmpeg speed: {med['ffmpeg -threads 1'] / hark:.2f} (-threads 1), "
      f"{med['ffmpeg (default threads)'] / hark:.2f} (default threads)")
PY
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
echo "runs: $runs per decoder and file, interleaved; wall = median"
printf '%-12s %-26s %8s %9s %8s %8s\n' file decoder wall_s speed best_s rss_mb
compare "$work/long-1h.mp3"
compare "$work/long-3h.mp3"
