#!/usr/bin/env bash
# Similar measures at scale (issue 17; not in CI): 1,000,000 synthetic measures (the same
# synthetic database as benches/search), then p50/p99 of asking the five most similar
# measures of other Parties for 1,000 measures spread over the index. Target: p99 < 10 ms.
#
#   benches/similar/run.sh                        # 1,000,000 measures in target/bench-search
#   MEASURES=2000 WORK=/tmp/sim benches/similar/run.sh   # a small check
#   PROFILE=dev ...                               # an unoptimized build (checks, not figures)
set -euo pipefail
cd "$(dirname "$0")/../.."

MEASURES=${MEASURES:-1000000}
WORK=${WORK:-target/bench-search}
QUERIES=${QUERIES:-1000}
PROFILE=${PROFILE:-release}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DB="sqlite://$WORK/synth.sqlite3"

echo "==> machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB"
cargo build --profile "$PROFILE" --locked -p qpr
DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
QPR=${CARGO_TARGET_DIR:-target}/$DIR/qpr

if [ ! -f "$WORK/synth.sqlite3" ]; then
  echo "==> qpr synth --measures $MEASURES"
  $QPR synth --measures "$MEASURES" --database "$DB" --data-dir "$WORK"
fi
if [ ! -f "$WORK/search/meta.json" ]; then
  echo "==> qpr reindex"
  $QPR reindex --database "$DB" --data-dir "$WORK"
fi
echo "==> similar measures"
cargo bench --profile "$PROFILE" --locked -p qpr-search --bench similar -- "$WORK/search" "$QUERIES"
