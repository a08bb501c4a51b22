#!/usr/bin/env bash
# Measure search at scale (issue 5; not in CI): 1,000,000 synthetic measures, a fixed set of
# queries (text only; text + 3 facets; facets only) with every facet count, p50/p99
# server-side time on the tantivy index, on SQLite FTS5 and on PostgreSQL full-text search
# (tsvector + GIN) with a check that the three agree; index build time and peak memory;
# resident memory of `qpr serve` after answering the queries over HTTP.
#
#   benches/search/run.sh                 # 1,000,000 measures in target/bench-search
#   MEASURES=100000 benches/search/run.sh # a smaller run
#
# The synthetic database is kept between runs (delete $WORK to start afresh). PostgreSQL comes
# from qpr-test-support: QPR_TEST_POSTGRES_URL, or a throwaway server it starts. Takes about
# an hour on 2 cores, mostly building the SQL engines' indexes and timing their queries.
set -euo pipefail
cd "$(dirname "$0")/../.."

MEASURES=${MEASURES:-1000000}
WORK=${WORK:-target/bench-search}
PORT=${PORT:-18089}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DB="sqlite://$WORK/synth.sqlite3"

echo "==> machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "==> building (release)"
cargo build --release --locked -p qpr
QPR=${CARGO_TARGET_DIR:-target}/release/qpr

if [ ! -f "$WORK/synth.sqlite3" ]; then
  echo "==> qpr synth --measures $MEASURES"
  /usr/bin/time -f "synth: %e s, max RSS %M KiB" $QPR synth --measures "$MEASURES" --database "$DB" --data-dir "$WORK"
fi

echo "==> qpr reindex (index build time and peak memory)"
/usr/bin/time -f "reindex: %e s wall, %U s user, max RSS %M KiB" $QPR reindex --database "$DB" --data-dir "$WORK"
du -sh "$WORK/search" | awk '{print "index size: " $1}'

echo "==> qpr search-check"
$QPR search-check --database "$DB" --data-dir "$WORK" 2>&1 | tail -1

echo "==> resident memory of qpr serve answering the queries"
$QPR serve --no-demo --database "$DB" --data-dir "$WORK" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/measures?per_page=1" && break; sleep 0.2; done
grep VmRSS "/proc/$SERVER/status" | awk '{print "serve RSS after start: " int($2/1024) " MiB"}'
QUERIES=(
  "q=festival" "q=digital" "q=creative+industries" "q=%22international+cooperation%22"
  "q=digital&region=africa&domain=music&targets_youth=true" "q=young+artists&goal=2&kind=policy&year=2024"
  "region=africa&domain=music&targets_youth=true" "goal=1&year=2020&year=2024&evaluated=true" "domain=music"
)
for _ in 1 2 3 4 5; do
  for query in "${QUERIES[@]}"; do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/measures?$query"; done
done
for query in "${QUERIES[@]}"; do
  curl -s -o /dev/null -w "GET /api/v1/measures?$query: %{time_total} s (HTTP, loopback)\n" "http://127.0.0.1:$PORT/api/v1/measures?$query"
done
# Open-data downloads: the whole result set streamed (quality bar: < 1 s per 100,000 measures).
for query in "format=csv" "format=jsonl" "format=csv&q=festival" "format=csv&region=africa&domain=music"; do
  curl -s -o "$WORK/download.out" -w "GET /api/v1/measures?$query: %{time_total} s, %{size_download} bytes" "http://127.0.0.1:$PORT/api/v1/measures?$query"
  echo ", $(wc -l <"$WORK/download.out") lines"
done
rm -f "$WORK/download.out"
grep -E "VmRSS|VmHWM" "/proc/$SERVER/status" | awk '{print "serve " $1 " " int($2/1024) " MiB"}'
kill $SERVER
trap - EXIT

echo "==> tantivy vs SQLite FTS5 vs PostgreSQL"
cargo bench --locked -p qpr-search --bench search -- "$WORK/search" "$WORK"
