#!/usr/bin/env bash
# The deadline-week load test (issue 19; not in CI, loopback only, bounded): 190 focal points
# autosaving every 10 s, 10 Secretariat members browsing the status board and review pages,
# 200 public readers on report pages and search (benches/load/load.py), against
#
#   sqlite:  one `qpr serve` on SQLite;
#   cluster: three `qpr serve` on one PostgreSQL database behind nginx, with the repository's
#            proxy settings (deploy/nginx/qpr-proxy.conf).
#
#   benches/load/run.sh                         # both, 60 s each, release build
#   MODE=cluster DURATION=120 benches/load/run.sh
#   FOCAL=10 SECRETARIAT=2 READERS=10 DURATION=15 QPR=target/debug/qpr benches/load/run.sh   # a small check
#
# Knobs (environment): MODE (both, sqlite or cluster), DURATION (60 s of load per mode), FOCAL
# (190), SECRETARIAT (10), READERS (200), QPR (a built binary; else a release build). Nothing is
# prepared ahead but the build: each mode starts afresh in a temporary directory (the setup,
# 190 passwords set and sign-ins, is timed and printed). Small check (debug build): about 30 s
# for sqlite, 40 s for cluster; full size about 2 to 3 minutes per mode.
#
# Prints p50/p99 per route for each run and fails on any error or lost save. Needs python3
# with venv (installs `requests` from PyPI into /var/tmp/qpr-st-venv, the api-fuzz virtualenv,
# when missing), PostgreSQL and nginx from Debian (installed when missing, as the tests do).
set -euo pipefail
cd "$(dirname "$0")/../.."

MODE=${MODE:-both}
DURATION=${DURATION:-60}
FOCAL=${FOCAL:-190}
SECRETARIAT=${SECRETARIAT:-10}
READERS=${READERS:-200}
source benches/lib/http-client.sh

WORK=$(mktemp -d /tmp/qpr-bench-load.XXXXXX)
PIDS=()
cleanup() {
  if [ -f "$WORK/nginx/nginx.pid" ]; then kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if declare -F stop_postgres >/dev/null; then stop_postgres; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_healthy() {
  for _ in $(seq 1 300); do
    if curl -sf "http://$1/healthz" >/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "error: no answer from $1" >&2
  cat "$WORK"/*.log >&2
  exit 1
}

# A Secretariat account through `qpr user add`; prints its password link.
secretariat_link() {
  QPR_PUBLIC_URL="$1" "$QPR" "${@:2}" user add --role secretariat --name "Load test" load-sec@unesco.example 2>/dev/null \
    | grep -o 'http[^ ]*/password/set/[0-9a-f]*'
}

run_load() {
  local base=$1 setup=$2 public=$3 dirs=$4 link=$5
  echo "==> machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$VENV/bin/python" benches/load/load.py --base "$base" --setup "$setup" --public-url "$public" \
    --data-dirs "$dirs" --secretariat-link "${link/$public/$setup}" \
    --focal "$FOCAL" --secretariat "$SECRETARIAT" --readers "$READERS" --duration "$DURATION"
}

sqlite_run() {
  echo "==> one node on SQLite"
  local port dir
  port=$(free_port)
  dir="$WORK/sqlite"
  QPR_PUBLIC_URL="http://127.0.0.1:$port" QPR_MAX_CONNECTIONS=2048 \
    "$QPR" --data-dir "$dir" serve --listen "127.0.0.1:$port" >"$WORK/sqlite.log" 2>&1 &
  PIDS+=($!)
  wait_healthy "127.0.0.1:$port"
  local link
  link=$(secretariat_link "http://127.0.0.1:$port" --data-dir "$dir")
  run_load "http://127.0.0.1:$port" "http://127.0.0.1:$port" "http://127.0.0.1:$port" "$dir" "$link"
}

cluster_run() {
  echo "==> three nodes on PostgreSQL behind nginx"
  source scripts/lib/ensure-postgres.sh
  source scripts/lib/ensure-nginx.sh
  local database="${QPR_TEST_POSTGRES_URL%/*}/qpr_load_$$"
  local psql
  psql=$(command -v psql || echo "$PG_BIN/psql")
  "$psql" -q -d "$QPR_TEST_POSTGRES_URL" -c "CREATE DATABASE qpr_load_$$"
  local nginx_port public ports=() dirs=()
  nginx_port=$(free_port)
  public="http://127.0.0.1:$nginx_port"
  for name in a b c; do
    local port dir key_args=()
    port=$(free_port)
    dir="$WORK/node-$name"
    # The first node makes the platform key and loads the demo report; the others share both.
    if [ "$name" != a ]; then key_args=(--signing-key "$WORK/node-a/signing-key.pem"); fi
    QPR_PUBLIC_URL="$public" QPR_NODE_NAME="node-$name" QPR_TRUSTED_PROXIES=127.0.0.1 QPR_MAX_CONNECTIONS=2048 \
      "$QPR" --data-dir "$dir" --database "$database" "${key_args[@]}" serve --listen "127.0.0.1:$port" \
      >"$WORK/node-$name.log" 2>&1 &
    PIDS+=($!)
    wait_healthy "127.0.0.1:$port"
    ports+=("$port")
    dirs+=("$dir")
  done
  mkdir -p "$WORK/nginx"
  cp deploy/nginx/qpr-proxy.conf "$WORK/nginx/"
  {
    echo "worker_processes auto; worker_rlimit_nofile 8192; daemon off; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off;"
    for temp in client_body proxy fastcgi uwsgi scgi; do echo "  ${temp}_temp_path $WORK/nginx/$temp;"; done
    grep '^limit_req_zone' deploy/nginx/qpr.conf
    echo "  upstream qpr {"
    for port in "${ports[@]}"; do echo "    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"; done
    echo "  }"
    echo "  server { listen 127.0.0.1:$nginx_port; include $WORK/nginx/qpr-proxy.conf; }"
    echo "}"
  } >"$WORK/nginx/nginx.conf"
  local as=()
  if [ "$(id -u)" = 0 ]; then chown -R nobody "$WORK/nginx"; chmod 755 "$WORK"; as=(runuser -u nobody --); fi
  "${as[@]}" "$QPR_TEST_NGINX" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
  PIDS+=($!)
  wait_healthy "127.0.0.1:$nginx_port"
  local link
  link=$(secretariat_link "$public" --data-dir "${dirs[0]}" --database "$database")
  local IFS=,
  run_load "$public" "http://127.0.0.1:${ports[0]}" "$public" "${dirs[*]}" "$link"
}

case "$MODE" in
  sqlite) sqlite_run ;;
  cluster) cluster_run ;;
  both) sqlite_run && cluster_run ;;
  *) echo "error: MODE is sqlite, cluster or both, not $MODE" >&2; exit 2 ;;
esac
