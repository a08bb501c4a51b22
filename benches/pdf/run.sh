#!/usr/bin/env bash
# The PDF of the seed report (issue 18, BENCHMARKS.md; not in CI): 20 renders of Azerbaijan
# 2022 from the report page's view model to the PDF's bytes (typst, fonts embedded), each a
# first render (typst's memoized results dropped before it), in English and in French; p99
# (target < 1 s) and the peak memory of the process. Then the same through `qpr serve`: the
# first request of each language makes the PDF, the next 20 are served from the cache.
#
#   benches/pdf/run.sh            # 20 runs per language
#   RUNS=50 benches/pdf/run.sh
#
# Needs curl; release builds.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-20}
TARGET=${CARGO_TARGET_DIR:-target}

echo "==> machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "==> date: $(date -u +%Y-%m-%dT%H:%MZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "==> building (release): the render benchmark and qpr"
cargo build --release --locked -p qpr-pdf --example bench_seed
cargo build --release --locked -p qpr
for lang in en fr; do
  echo "==> in-process, $lang"
  /usr/bin/time -f "process: %e s wall, peak resident %M KiB" "$TARGET/release/examples/bench_seed" "$RUNS" "$lang"
done

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
"$TARGET/release/qpr" serve --data-dir "$WORK/qpr-data" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
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
