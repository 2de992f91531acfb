#!/usr/bin/env bash
# Transcribes the sample podcast through the running local service's HTTP API and prints, per
# episode, the wall time, real-time factor and word error rate (docs/PERFORMANCE.md).
#   services/asr/bench.sh [SAMPLE_DIR] [URL]
# SAMPLE_DIR defaults to /tmp/sample-asr (made by scripts/make-sample-podcast if missing);
# URL to `scripts/asr-service url`. Transcripts are kept in SAMPLE_DIR/asr-<model>/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-/tmp/sample-asr}"
url="${2:-$("$root/scripts/asr-service" url)}"
[ -f "$dir/episode1.mp3" ] || "$root/scripts/make-sample-podcast" "$dir" >/dev/null
model="$(curl -fsS "$url/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["model"])')"
out="$dir/asr-$model"
mkdir -p "$out"
printf '| episode | audio (s) | transcribe (s) | RTF | WER | S / D / I of N |\n|---|---:|---:|---:|---:|---|\n'
for mp3 in "$dir"/episode*.mp3; do
  ep="$(basename "$mp3" .mp3)"
  t="$(curl -fsS -o "$out/$ep.json" -w '%{time_total}' "$url/v1/audio/transcriptions" \
        -F "file=@$mp3" -F model=whisper-1 -F response_format=verbose_json \
        -F 'timestamp_granularities[]=word' -F 'timestamp_granularities[]=segment')"
  python3 - "$dir/$ep.txt" "$out/$ep.json" "$t" "$ep" "$root/services/asr" <<'EOF'
import json, sys
sys.path.insert(0, sys.argv[5])
import wer
ref, hyp, t, ep = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
d = json.load(open(hyp))
r = wer.wer(wer.read_text(ref), d["text"])
print(f"| {ep} | {d['duration']:.1f} | {t:.1f} | {t / d['duration']:.3f} | {100 * r['wer']:.1f} % "
      f"| {r['substitutions']} / {r['deletions']} / {r['insertions']} of {r['reference_words']} |")
EOF
done
