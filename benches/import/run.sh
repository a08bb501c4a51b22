#!/usr/bin/env bash
# Import throughput on the real published report and on a page of every layout (BENCHMARKS.md,
# issues 2 and 14). Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -p qpr-import --bench parse -- "$@" 2>&1 | grep -E "^(import|layouts)/|time:|thrpt:"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
