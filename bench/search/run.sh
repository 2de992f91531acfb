#!/usr/bin/env bash
# Search benchmark (not part of CI). Builds nothing: build first
# (ninja -C BUILD_DIR hark_bench_search), then
#
#   bench/search/run.sh [BUILD_DIR] [HOURS] [VECTORS] [RUNS]
#
# HOURS (default 10000) episode-hours of generated transcript text (9,000 words an hour) go
# into a hark library at BUILD_DIR/bench-search/library.db (kept and reused: delete it to
# regenerate); the fixed query set (queries.txt) runs RUNS times (default 5) through hark's
# lexical search and, in the same run, through the sqlite3 program straight against the
# FTS5 table (the floor); then HNSW over VECTORS (default 1000000) synthetic 384-d vectors.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
hours="${2:-10000}"
vectors="${3:-1000000}"
runs="${4:-5}"
bench="$build/bench/search/hark_bench_search"
[[ -x "$bench" ]] || { echo "missing $bench — build first (ninja -C $build hark_bench_search)" >&2; exit 1; }
work="$build/bench-search"
mkdir -p "$work"
db="$work/library.db"

if [[ ! -s "$db" ]]; then
  "$bench" corpus "$db" "$hours"
  ls -l "$db" | awk '{printf "library: %.2f GB\n", $5 / 1e9}'
fi
sqlite3 "$db" "SELECT 'passages: ' || count(*) FROM search_passages;"

"$bench" lexical "$db" "$here/queries.txt" "$runs"

# The floor: the same FTS5 queries in the sqlite3 program (.timer: real seconds per query).
"$bench" fts-sql "$here/queries.txt" >"$work/floor.sql"
: >"$work/floor.times"
for _ in $(seq 1 "$runs"); do
  sqlite3 -cmd ".timer on" "$db" <"$work/floor.sql" 2>&1 |
    awk '/^Run Time:/ {print $4 * 1000}' >>"$work/floor.times"
done
sort -g "$work/floor.times" | awk '{v[NR] = $1} END {
  p50 = v[int(NR * 0.5 + 0.999)]; p95 = v[int(NR * 0.95 + 0.999)];
  printf "lexical (sqlite3 program, FTS5 only): %d queries, p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", NR, p50, p95, v[NR] }'

"$bench" hnsw "$vectors" 384 1000
