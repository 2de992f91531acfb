# Shared by bench/server/run.sh and bench/server/handlers.sh (sourced, not run): builds hark
# when BUILD_DIR is a preset's directory without it, generates the library once, creates an
# API token and starts `hark serve` on a free loopback port. Sets: hark, work, data, token,
# port, pid, podcasts, episodes, total, audio_size; defines cpu, rss, audio_ids.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build_arg="${1:-$root/build}"
if [[ ! -x "$build_arg/hark" ]]; then
  # A preset's build directory (build/, build-ci/) that lacks hark: build it first.
  case "$(basename "$build_arg")" in
    build) preset=default ;;
    build-*) preset="${build_arg##*/build-}" ;;
    *) preset="" ;;
  esac
  if [[ -n "$preset" && "$(cd "$(dirname "$build_arg")" && pwd)" == "$root" ]]; then
    echo "building hark (preset $preset) ..." >&2
    "$root/scripts/build.sh" "$preset" hark >&2
  fi
fi
build="$(cd "$build_arg" && pwd)"
hark="$build/hark"
[[ -x "$hark" ]] || { echo "missing $hark — build first (ninja -C $build hark)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
podcasts="${BENCH_PODCASTS:-100}"
episodes="${BENCH_EPISODES:-1000}"
work="$build/bench-server"
data="$work/data-$podcasts-$episodes"
export HARK_DATA="$data"
mkdir -p "$work"

if [[ ! -s "$work/audio.mp3" ]]; then  # ten minutes, 64 kb/s: 4.8 MB to seek around in
  ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "sine=frequency=220:duration=600" \
    -ac 1 -b:a 64k "$work/audio.mp3"
fi
audio_size=$(stat -c %s "$work/audio.mp3")

total=$((podcasts * episodes))
audio_ids() { seq -s, 1 "$(( total / 20 > 0 ? total / 20 : 1 ))" "$total" | cut -d, -f1-20; }

if [[ ! -s "$data/hark.db" ]]; then
  rm -rf "$data" "$work/feeds"
  mkdir -p "$data"
  python3 "$here/make_library.py" "$work/feeds" "$work/audio.mp3" \
    --podcasts "$podcasts" --episodes "$episodes" >/dev/null
  start=$(date +%s.%N)
  for f in "$work"/feeds/*.xml; do "$hark" add "$f" >/dev/null; done
  echo "library: $podcasts podcasts x $episodes episodes subscribed in" \
    "$(echo "$(date +%s.%N) - $start" | bc) s" >&2
  # Twenty downloaded episodes for the audio range requests.
  for id in $(audio_ids | tr , ' '); do "$hark" download "$id" >/dev/null; done
fi
# Written every run: BENCH_HTTP_THREADS sets [server] http_threads (default 64).
threads_line=""
[[ -n "${BENCH_HTTP_THREADS:-}" ]] && threads_line="http_threads = $BENCH_HTTP_THREADS"
printf '[server]\nauto_process_recent = 0\nrefresh_minutes = 0\nworkers = 1\n%s\n' \
  "$threads_line" >"$data/hark.toml"
token=$("$hark" user token local --name "bench $(date +%s)" | grep -Eo '[A-Za-z0-9_-]{24,}' | tail -n 1)
[[ -n "$token" ]] || { echo "could not create an API token" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$hark" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/status" >/dev/null 2>&1 && break
  sleep 0.1
done
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$pid/stat"; }  # user + system s
rss() { awk -v k="$1" '$1 == k":" { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status"; }
echo "server pid $pid on port $port; idle VmRSS $(rss VmRSS)" >&2
