#!/usr/bin/env bash
# The form engine on an area with 100 policies/measures of 3 partners each (BENCHMARKS.md,
# issue 6): build + render the editing page, apply its post. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -p qpr-web --bench editor -- --warm-up-time 2 --measurement-time 8 2>&1 | grep -E "^page:|^editor-|time:"
