#!/usr/bin/env bash
# How much `cargo build` recompiles after one template is edited (issue 13).
#
# Usage: benches/build/template-touch.sh [COMMIT...]
# For each commit (default: HEAD), checks it out in a temporary worktree with its own target
# dir, builds the `qpr` binary (dev profile), then touches one template and times the rebuild,
# three times, and prints the crates cargo recompiled and the Rust lines of the crate that
# holds the templates. Run it on a quiet machine: nothing else building.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
commits=("$@")
[ ${#commits[@]} -eq 0 ] && commits=(HEAD)
template="crates/web/templates/page.html"
root="${QPR_BENCH_DIR:-/var/tmp/qpr-template-bench}"
mkdir -p "$root"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
for commit in "${commits[@]}"; do
  sha="$(git -C "$repo" rev-parse --short "$commit")"
  tree="$root/tree-$sha"
  export CARGO_TARGET_DIR="$root/target-$sha"
  [ -d "$tree" ] || git -C "$repo" worktree add --detach "$tree" "$sha" >/dev/null
  (cd "$tree" && cargo build --locked -q -p qpr)
  web_lines=$(find "$tree/crates/web/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
  for run in 1 2 3; do
    echo "<!-- touched $run -->" >> "$tree/$template"
    start=$(date +%s.%N)
    out="$(cd "$tree" && cargo build --locked -p qpr 2>&1)"
    end=$(date +%s.%N)
    (cd "$tree" && git checkout -q -- "$template")
    crates=$(echo "$out" | grep -o 'Compiling [a-z0-9_-]*' | awk '{print $2}' | paste -sd, -)
    printf '%s run %d: %.1f s, recompiled: %s; qpr-web Rust lines: %s\n' "$sha" "$run" "$(echo "$end - $start" | bc)" "$crates" "$web_lines"
  done
  # Put the template back as it was, and rebuild so the next run starts from a clean state.
  (cd "$tree" && cargo build --locked -q -p qpr)
done
