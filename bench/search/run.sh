#!/usr/bin/env bash
# Search benchmark (not part of CI; figures in docs/PERFORMANCE.md). Builds nothing: build
# first (cmake --build --preset ci --target hark_bench_search), then
#
#   bench/search/run.sh [BUILD_DIR] [HOURS] [RUNS]
#
# The expensive parts are made once and kept in BUILD_DIR/bench-search (delete a file to
# make it again):
#   library-<HOURS>h.db     HOURS (default 10000) episode-hours of generated transcript text
#                           (9,000 words an hour) in a hark library, with a synthetic 384-d
#                           vector per passage (1.2 M at 10,000 hours); the build rate is
#                           printed when it is made
#   vectors-<HOURS>h.hnsw   hark's HNSW index over those vectors (VectorIndex, hark's settings),
#                           built on a second thread while the library is written (its rate
#                           is printed); missing alone, it is rebuilt from the library the
#                           way hark rebuilds a missing index (SearchService)
# Every run then measures, over the fixed query set (queries.txt, RUNS times, default 5):
# hark's lexical search, the same FTS5 queries through the sqlite3 program (the floor),
# hark's hybrid search (query vectors from an in-process synthetic embedder), HNSW p50/p95
# and recall@10 against exact search, and the real embedding service's query-embedding
# latency (scripts/embeddings-service on a free port, stopped afterwards).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
hours="${2:-10000}"
runs="${3:-5}"
bench="$build/bench/search/hark_bench_search"
[[ -x "$bench" ]] || { echo "missing $bench — build first (cmake --build $build --target hark_bench_search)" >&2; exit 1; }
work="$build/bench-search"
mkdir -p "$work"
db="$work/library-${hours}h.db"
index="$work/vectors-${hours}h.hnsw"
queries="$here/queries.txt"

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
if [[ ! -s "$db" ]]; then
  rm -f "$index" "$index.json"
  "$bench" corpus "$db" "$hours" 384 "$index"
fi
ls -l "$db" | awk '{printf "library: %.2f GB\n", $5 / 1e9}'
if [[ ! -s "$index" ]]; then
  "$bench" index "$db" "$index"
fi

"$bench" lexical "$db" "$queries" "$runs"

# The floor: the same FTS5 queries in the sqlite3 program (.timer: real seconds per query).
# One untimed pass first, as the other measurements have.
"$bench" fts-sql "$queries" >"$work/floor.sql"
sqlite3 "$db" <"$work/floor.sql" >/dev/null
: >"$work/floor.times"
for _ in $(seq 1 "$runs"); do
  sqlite3 -cmd ".timer on" "$db" <"$work/floor.sql" 2>&1 |
    awk '/^Run Time:/ {print $4 * 1000}' >>"$work/floor.times"
done
sort -g "$work/floor.times" | awk '{v[NR] = $1} END {
  p50 = v[int(NR * 0.5 + 0.999)]; p95 = v[int(NR * 0.95 + 0.999)];
  printf "lexical floor (sqlite3 program, FTS5 top 20 by rank, passages only): %d queries, p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", NR, p50, p95, v[NR] }'

"$bench" hybrid "$db" "$index" "$queries" "$runs"
"$bench" hnsw "$db" "$index" 1000

# The real embedding service's share of a hybrid query.
export HARK_EMBEDDINGS_RUN_DIR="$work/embeddings-service"
if url="$("$root/scripts/embeddings-service" start --port 0 2>"$work/embeddings-start.log")"; then
  "$bench" embed "$url/v1" "$queries" "$runs" || true
  "$root/scripts/embeddings-service" stop >/dev/null 2>&1 || true
else
  echo "query embedding: the embedding service did not start (see $work/embeddings-start.log)"
fi
echo "machine after: $(uptime | sed 's/.*load/load/')"
