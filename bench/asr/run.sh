#!/usr/bin/env bash
# Speech-to-text benchmark: a ≥ 30-minute episode of synthesized speech (the sample podcast's
# three espeak-ng episodes repeated, 31 minutes, re-encoded as one 44.1 kHz stereo MP3) sent
# through hark's ChunkedTranscriber to the local Whisper service (services/asr), first with one
# endpoint, then with two endpoints (two service processes), each process using one CPU
# thread, so that two processes use the machine's two cores. Chunking is planned for the
# endpoints (equal chunks in a multiple of them when the length is known).
# Prints one JSON line per run and a summary: real-time factor, speed-up, hark's overhead.
#
#   ninja -C BUILD_DIR hark_bench_asr && bench/asr/run.sh [BUILD_DIR]
#
# The services are started on free ports with their own run dirs in BUILD_DIR/bench-asr and
# stopped at the end; the venv is the checkout's .venv/asr (scripts/asr-service).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
bench="$build/bench/asr/hark_bench_asr"
[[ -x "$bench" ]] || { echo "missing $bench — build first (ninja -C $build hark_bench_asr)" >&2; exit 1; }
work="$build/bench-asr"
mkdir -p "$work"
quiet=(-hide_banner -loglevel error -nostdin -y)

if [[ ! -s "$work/long.mp3" || ! -s "$work/long.txt" ]]; then
  [[ -s "$work/sample/episode3.mp3" ]] || "$root/scripts/make-sample-podcast" "$work/sample" >/dev/null
  : >"$work/list.txt"
  : >"$work/long.txt"
  # Ten whole episodes, so the reference text is exact: 4 x episode1 (206 s), 3 x episode2
  # (178 s), 3 x episode3 (167 s) = 1859 s, 31 minutes.
  for n in 1 2 3 1 2 3 1 2 3 1; do
    echo "file '$work/sample/episode$n.mp3'" >>"$work/list.txt"
    cat "$work/sample/episode$n.txt" >>"$work/long.txt"
    echo >>"$work/long.txt"
  done
  ffmpeg "${quiet[@]}" -f concat -safe 0 -i "$work/list.txt" -ar 44100 -ac 2 \
    -c:a libmp3lame -b:a 128k "$work/long.mp3"
fi
duration="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/long.mp3")"
echo "episode: $work/long.mp3 ($duration s)" >&2

svc() { HARK_ASR_RUN_DIR="$work/svc-$1" "$root/scripts/asr-service" "${@:2}"; }
cleanup() { svc a stop 2>/dev/null || true; svc b stop 2>/dev/null || true; }
trap cleanup EXIT
url_a="$(svc a start --port 0 --workers 1 --threads 1)"
url_b="$(svc b start --port 0 --workers 1 --threads 1)"

run() {  # label urls...
  local label="$1"; shift
  "$bench" "$work/long.mp3" "$@" --model base --reference "$work/long.txt" --label "$label" |
    tee -a "$work/results.jsonl"
}
: >"$work/results.jsonl"
one="$(run one "$url_a")"
two="$(run two "$url_a" "$url_b")"
python3 - "$one" "$two" <<'PY'
import json, sys
one, two = (json.loads(a) for a in sys.argv[1:3])
print(f"one endpoint : {one['total_s']:.1f} s for {one['audio_s']:.0f} s of audio, RTF {one['rtf']:.3f}, "
      f"{one['chunks']} chunks, WER {100*one['wer']:.1f} %, hark overhead {100*one['overhead_share']:.2f} %")
print(f"two endpoints: {two['total_s']:.1f} s, RTF {two['rtf']:.3f}, WER {100*two['wer']:.1f} %, "
      f"hark overhead {100*two['overhead_share']:.2f} %")
s = one['total_s'] / two['total_s']
print(f"speed-up {s:.2f}x with 2 endpoints ({s/2:.2f} x endpoints)")
PY
