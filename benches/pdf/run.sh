#!/usr/bin/env bash
# The PDF of the seed report (issue 18, BENCHMARKS.md; not in CI): 20 renders of Azerbaijan
# 2022 from the report page's view model to the PDF's bytes (typst, fonts embedded), each a
# first render (typst's memoized results dropped before it), in English and in French; p99
# (target < 1 s) and the peak memory of the process. Then the same through `qpr serve`: the
# first request of each language makes the PDF, the next 20 are served from the cache.
#
#   benches/pdf/run.sh            # 20 runs per language
#   RUNS=50 benches/pdf/run.sh
#   PARTS=http QPR=target/debug/qpr RUNS=3 benches/pdf/run.sh   # the HTTP half, a built binary
#   PREPARE_ONLY=1 benches/pdf/run.sh                            # the release builds only
#
# Knobs (environment): RUNS (20); PARTS (both: render and http, or one of them); QPR (a built
# qpr for the HTTP half, else the release build); PREPARE_ONLY (0). Needs curl. At full size
# about a minute once built (the release build of qpr-pdf's example takes minutes: prepare it).
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-20}
PARTS=${PARTS:-both}
PREPARE_ONLY=${PREPARE_ONLY:-0}
TARGET=${CARGO_TARGET_DIR:-target}
case "$PARTS" in both|render|http) ;; *) echo "error: PARTS is both, render or http, not $PARTS" >&2; exit 2 ;; esac

echo "==> machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "==> date: $(date -u +%Y-%m-%dT%H:%MZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$PARTS" != http ]; then
  echo "==> building (release): the render benchmark"
  cargo build --release --locked -p qpr-pdf --example bench_seed
fi
if [ "$PARTS" != render ] && [ -z "${QPR:-}" ]; then
  echo "==> building (release): qpr"
  cargo build --release --locked -p qpr
fi
QPR=${QPR:-$TARGET/release/qpr}
if [ "$PREPARE_ONLY" = 1 ]; then
  echo "==> prepared (run again without PREPARE_ONLY to measure)"
  exit 0
fi
if [ "$PARTS" != http ]; then
  for lang in en fr; do
    echo "==> in-process, $lang"
    /usr/bin/time -f "process: %e s wall, peak resident %M KiB" "$TARGET/release/examples/bench_seed" "$RUNS" "$lang"
  done
fi
[ "$PARTS" = render ] && exit 0

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d /tmp/qpr-bench-pdf.XXXXXX)
PORT=$(free_port)
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "==> qpr serve on 127.0.0.1:$PORT (demo report)"
"$QPR" serve --data-dir "$WORK/qpr-data" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/reports/AZE/2022" && break; sleep 0.2; done
for lang in en fr; do
  URL="http://127.0.0.1:$PORT/reports/AZE/2022.pdf?lang=$lang"
  first=$(curl -sf -o "$WORK/$lang.pdf" -w '%{time_total}' "$URL")
  echo "==> HTTP, $lang: first request (makes the PDF): ${first} s, $(wc -c <"$WORK/$lang.pdf") bytes"
  for _ in $(seq 1 "$RUNS"); do curl -sf -o /dev/null -w '%{time_total}\n' "$URL"; done | sort -n >"$WORK/times"
  p99_rank=$(( (RUNS * 99 + 99) / 100 ))
  echo "==> HTTP, $lang: $RUNS cached requests: median $(sed -n "$(( (RUNS + 1) / 2 ))p" "$WORK/times") s, p99 $(sed -n "${p99_rank}p" "$WORK/times") s"
done
echo "==> qpr serve peak resident memory: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
