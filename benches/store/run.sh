#!/usr/bin/env bash
# Save latency with 200 concurrent editors on SQLite and on PostgreSQL (BENCHMARKS.md,
# issue 3). Starts a throwaway PostgreSQL like the test command does. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'if declare -F stop_postgres >/dev/null; then stop_postgres; fi' EXIT
source scripts/lib/ensure-postgres.sh
cargo build --release -p qpr-store --bench save_latency
dir=$(mktemp -d)
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d)"
for pause in 1000 0; do
  rm -f "$dir"/bench.sqlite3*
  cargo bench -q -p qpr-store --bench save_latency -- "sqlite://$dir/bench.sqlite3" "${EDITORS:-200}" "${SAVES:-25}" "$pause"
  psql -q -d "$QPR_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS qpr_bench" -c "CREATE DATABASE qpr_bench"
  cargo bench -q -p qpr-store --bench save_latency -- "${QPR_TEST_POSTGRES_URL%/*}/qpr_bench" "${EDITORS:-200}" "${SAVES:-25}" "$pause"
done
rm -rf "$dir"
