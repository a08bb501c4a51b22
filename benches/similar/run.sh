#!/usr/bin/env bash
# Similar measures at scale (issue 17; not in CI): 1,000,000 synthetic measures (the same
# synthetic database as benches/search), then p50/p99 of asking the five most similar
# measures of other Parties for 1,000 measures spread over the index. Target: p99 < 10 ms.
#
#   benches/similar/run.sh                        # 1,000,000 measures in target/bench-search
#   MEASURES=2000 WORK=/tmp/sim benches/similar/run.sh   # a small check
#   PROFILE=dev ...                               # an unoptimized build (checks, not figures)
#   PREPARE_ONLY=1 benches/similar/run.sh         # build, synthesize and index only
#
# Knobs (environment): MEASURES (1000000), QUERIES (1000), WORK (target/bench-search: the
# database and its index, kept between runs; delete it to start afresh), PROFILE (release),
# PREPARE_ONLY (0). The builds honour CARGO_TARGET_DIR.
#
# The preparation is long at full size: `qpr synth` about 80 s, `qpr reindex` 5 to 20 min
# (BENCHMARKS.md), the release build of the benchmark several minutes. Run it with
# PREPARE_ONLY=1 while the machine is busy; the measuring run then only opens the index and
# asks the queries (well under a minute).
set -euo pipefail
cd "$(dirname "$0")/../.."

MEASURES=${MEASURES:-1000000}
WORK=${WORK:-target/bench-search}
QUERIES=${QUERIES:-1000}
PROFILE=${PROFILE:-release}
PREPARE_ONLY=${PREPARE_ONLY:-0}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DB="sqlite://$WORK/synth.sqlite3"
BENCH=(cargo bench --profile "$PROFILE" --locked -p qpr-search --bench similar --)

echo "==> machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB"
echo "==> date: $(date -u +%Y-%m-%dT%H:%MZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo build --profile "$PROFILE" --locked -p qpr
"${BENCH[@]:0:9}" --no-run
DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
QPR=${CARGO_TARGET_DIR:-target}/$DIR/qpr

if [ ! -f "$WORK/synth.sqlite3" ]; then
  echo "==> qpr synth --measures $MEASURES"
  # Into another name first: an interrupted synthesis leaves no database a later run would take.
  rm -f "$WORK"/partial.sqlite3*
  "$QPR" synth --measures "$MEASURES" --database "sqlite://$WORK/partial.sqlite3" --data-dir "$WORK" 2>&1 \
    | grep -v ' INFO \| WARN '
  python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
    "$WORK/partial.sqlite3" "$WORK/synth.sqlite3"
  rm -f "$WORK"/partial.sqlite3*
  rm -rf "$WORK/search" "$WORK/indexed"
fi
# The index is made again when it is missing, was not finished (no `$WORK/indexed` mark) or
# is of an older schema (one query opens it; the benchmark then says so).
reindex() {
  echo "==> qpr reindex ($1)"
  rm -f "$WORK/indexed"
  /usr/bin/time -f "reindex: %e s, max RSS %M KiB" "$QPR" reindex --database "$DB" --data-dir "$WORK"
  touch "$WORK/indexed"
}
if [ ! -f "$WORK/indexed" ]; then
  reindex "no finished index in $WORK/search"
elif ! "${BENCH[@]}" "$WORK/search" 1 >"$WORK/check.log" 2>&1; then
  if grep -q "no search index of this version" "$WORK/check.log"; then
    reindex "the index in $WORK/search is of an older version"
  else
    cat "$WORK/check.log" >&2
    exit 1
  fi
fi
if [ "$PREPARE_ONLY" = 1 ]; then
  echo "==> prepared: $WORK (run again without PREPARE_ONLY to measure)"
  exit 0
fi
echo "==> similar measures"
"${BENCH[@]}" "$WORK/search" "$QUERIES"
