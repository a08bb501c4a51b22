#!/usr/bin/env bash
# The form as a workbook (BENCHMARKS.md, issue 18): the demo report's draft written as an XLSX
# workbook (target < 300 ms), and a full workbook read back with its preview (open, bounds,
# cells against the layout, every cell applied through the form engine, changes listed;
# target < 500 ms); each mode in its own process so that the peak memory is its own.
# Not run in CI; run on a quiet machine: bash benches/workbook/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-50}"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
cargo build --release --quiet -p qpr-workbook --example workbook_bench
BIN="${CARGO_TARGET_DIR:-target}/release/examples/workbook_bench"
for mode in export import; do
  /usr/bin/time -f "$mode: peak memory (max RSS) %M KiB, %e s wall for $RUNS runs" "$BIN" "$mode" "$RUNS"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
