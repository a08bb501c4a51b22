#!/usr/bin/env bash
# The status board's first view with a full report for every Party (issue 19: < 100 ms; not in
# CI, loopback only). One `qpr serve` on SQLite (or PostgreSQL with DATABASE=postgres):
#   1. fill: a cycle opens with a draft for every Party of the depositary's list, each filled by
#      its focal point with the whole demo report through the API (board.py fill);
#   2. RESTARTS times: the server is stopped (SIGTERM) and started again, the Secretariat member
#      signs in and asks the board VIEWS times: the first view is the cold one (board.py measure).
#
#   benches/board/run.sh                            # release build, SQLite, 5 restarts
#   DATABASE=postgres benches/board/run.sh          # on PostgreSQL (scripts/lib/ensure-postgres.sh)
#   QPR=target/debug/qpr RESTARTS=1 benches/board/run.sh   # a quick check with a built binary
#   KEEP=/tmp/board benches/board/run.sh            # keep the filled data dir there and reuse it
set -euo pipefail
cd "$(dirname "$0")/../.."

RESTARTS=${RESTARTS:-5}
VIEWS=${VIEWS:-50}
DATABASE=${DATABASE:-sqlite}
source benches/lib/http-client.sh
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
if [ -n "${KEEP:-}" ]; then WORK=$KEEP; mkdir -p "$WORK"; else WORK=$(mktemp -d /tmp/qpr-bench-board.XXXXXX); fi
DIR="$WORK/data"
DB_ARGS=()
if [ "$DATABASE" = postgres ] && [ -n "${KEEP:-}" ]; then echo "error: KEEP is for SQLite only" >&2; exit 2; fi
if [ "$DATABASE" = postgres ]; then
  source scripts/lib/ensure-postgres.sh
  DB_ARGS=(--database "${QPR_TEST_POSTGRES_URL%/*}/qpr_board_$$")
  psql_bin=$(command -v psql || echo "$PG_BIN/psql")
  "$psql_bin" -q -d "$QPR_TEST_POSTGRES_URL" -c "CREATE DATABASE qpr_board_$$"
fi
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if declare -F stop_postgres >/dev/null; then stop_postgres; fi
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

start() {
  QPR_PUBLIC_URL="$BASE" "$QPR" --data-dir "$DIR" "${DB_ARGS[@]}" serve --listen "127.0.0.1:$PORT" >>"$WORK/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do
    if curl -sf "$BASE/healthz" >/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "error: no answer from $BASE" >&2
  cat "$WORK/serve.log" >&2
  exit 1
}
stop() { kill -TERM "$PID"; wait "$PID" || true; PID=; }

echo "==> machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $DATABASE; $("$QPR" --version 2>/dev/null || echo qpr)"
start
if [ ! -f "$WORK/filled" ]; then
  link=$(QPR_PUBLIC_URL="$BASE" "$QPR" --data-dir "$DIR" "${DB_ARGS[@]}" user add --role secretariat --name "Board bench" \
    load-sec@unesco.example 2>/dev/null | grep -o 'http[^ ]*/password/set/[0-9a-f]*')
  "$VENV/bin/python" benches/board/board.py fill --base "$BASE" --public-url "$BASE" --data-dir "$DIR" --secretariat-link "$link"
  touch "$WORK/filled"
fi
for n in $(seq 1 "$RESTARTS"); do
  stop
  start
  echo -n "restart $n: "
  "$VENV/bin/python" benches/board/board.py measure --base "$BASE" --views "$VIEWS"
done
