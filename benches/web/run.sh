#!/usr/bin/env bash
# Measure the public report page (issue 4; not in CI): wrk on loopback, 256 connections with
# keep-alive, `GET /reports/AZE/2022` from `qpr serve` (release build, the demo report), side
# by side with nginx (Debian package) serving the same HTML saved as a static file, in one
# run, on the same cores.
#
#   benches/web/run.sh                      # 30 s per server
#   DURATION=10s benches/web/run.sh         # a shorter run
#   ENCODING="gzip, br" benches/web/run.sh  # as browsers ask (qpr: brotli; nginx: gzip_static)
#
# Installs wrk and nginx from Debian when missing (needs root). Prints the machine, the
# commands, wrk's output for both servers and a summary line with the ratio to nginx.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-256}
THREADS=${THREADS:-2}
ENCODING=${ENCODING:-}
PAGE=/reports/AZE/2022

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> installing $tool (Debian package)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
    else
      echo "error: $tool is not installed; install the Debian package $tool" >&2
      exit 1
    fi
  fi
done
NGINX=$(command -v nginx)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d /tmp/qpr-bench-web.XXXXXX)
QPR_PORT=$(free_port)
NGINX_PORT=$(free_port)
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "==> machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "==> date: $(date -u +%Y-%m-%dT%H:%MZ), load: $(cut -d' ' -f1-3 /proc/loadavg), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1)"
echo "==> building qpr (release)"
cargo build --release --locked -p qpr
QPR=${CARGO_TARGET_DIR:-target}/release/qpr

echo "==> qpr serve on 127.0.0.1:$QPR_PORT (demo report)"
"$QPR" serve --data-dir "$WORK/qpr-data" --listen "127.0.0.1:$QPR_PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$QPR_PORT$PAGE" && break; sleep 0.2; done

# The same page as a static file for nginx (and pre-compressed, for gzip_static).
chmod 755 "$WORK"
mkdir -p "$WORK/www/reports/AZE"
curl -sf "http://127.0.0.1:$QPR_PORT$PAGE" -o "$WORK/www/reports/AZE/2022.html"
gzip -9 -k "$WORK/www/reports/AZE/2022.html"
echo "==> page: $(wc -c <"$WORK/www/reports/AZE/2022.html") bytes of HTML"
cat >"$WORK/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  gzip_static on;
  types { text/html html; }
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp; fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location / { try_files \$uri.html =404; default_type text/html; }
  }
}
EOF
chmod -R a+rX "$WORK/www"
mkdir -p "$WORK/nginx-tmp"
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon on;'
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT$PAGE" && break; sleep 0.1; done

HEADER=()
[ -n "$ENCODING" ] && HEADER=(-H "Accept-Encoding: $ENCODING")
run() { # name url
  echo "==> $1: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency ${HEADER[*]} $2"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "${HEADER[@]}" "$2" >/dev/null # warm-up
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${HEADER[@]}" "$2" | tee "$WORK/$1.txt"
}
run qpr "http://127.0.0.1:$QPR_PORT$PAGE"
run nginx "http://127.0.0.1:$NGINX_PORT$PAGE"

rate() { awk '/^Requests\/sec/ {print $2}' "$WORK/$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$WORK/$1.txt"; }
errors() { grep -E "Non-2xx|Socket errors" "$WORK/$1.txt" || echo "none"; }
echo "==> summary: qpr $(rate qpr) req/s (p99 $(p99 qpr)), nginx $(rate nginx) req/s (p99 $(p99 nginx)), ratio $(awk -v a="$(rate qpr)" -v b="$(rate nginx)" 'BEGIN {printf "%.2f", a / b}')"
echo "==> errors: qpr: $(errors qpr); nginx: $(errors nginx)"
grep -E "VmRSS|VmHWM" "/proc/$SERVER/status" | awk '{print "==> qpr serve " $1 " " int($2/1024) " MiB"}'
