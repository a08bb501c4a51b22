#!/usr/bin/env bash
# Measure the indicators, the map and the comparison at the platform's size (issue 16; not in
# CI): `qpr synth --reports 190 --cycles 4` (full synthetic reports: 190 Parties × 4 cycles),
# `qpr serve` (release build) on it, then
#   1. p50/p99/max time of every indicator page and API call with warm caches (REQUESTS each,
#      one kept-alive connection on loopback: an upper bound of the server's time);
#   2. the first request of each after a publication (a report published by another process,
#      then one request per path once the site version moved), and after a restart (from
#      when /healthz answers; the figures are made at start, off the request path);
#   3. serve's resident memory (VmRSS, VmHWM) after all of them;
#   4. the same figures by SQL over the stored JSON on SQLite (json_each) and on PostgreSQL
#      (jsonb, the same reports synthesized with the same seed), timed, each checked against a
#      count made from the documents themselves (sql.py).
#
#   benches/indicators/run.sh                            # 190 Parties × 4 cycles
#   PARTIES=10 CYCLES=2 REQUESTS=20 benches/indicators/run.sh   # a small run
#   QPR=target/debug/qpr PARTIES=5 benches/indicators/run.sh    # an already built binary
#   POSTGRES=0 benches/indicators/run.sh                 # SQLite only
#   PREPARE_ONLY=1 benches/indicators/run.sh             # build and synthesize only, no timing
#
# Knobs (environment): PARTIES (190) and CYCLES (4): the synthetic reports; REQUESTS (200):
# warm requests per path; RUNS (20): runs of each SQL query; POSTGRES (1): also PostgreSQL
# (a throwaway server from scripts/lib/ensure-postgres.sh, or QPR_TEST_POSTGRES_URL);
# WORK (target/bench-indicators): where the synthetic database is kept; QPR: a built binary
# (else a release build); PREPARE_ONLY (0): stop after the build, the SQLite synthesis and
# its search index.
# At full size the preparation takes about a minute (release); the measured part a few more.
#
# Paths: /indicators, /indicators/{area} for every area of the 2020 form, /indicators/map per
# cycle, /compare of five Parties, /api/v1/indicators by cycle, region, goal, area and
# question. The indicator pages and API come from the indicators branch (issue 16, points
# 1-3 and 5): until it is merged they answer 404 and are listed as "not served yet"; after the
# merge they are measured with no change here (add its other routes to PATHS if it has more).
# The synthetic SQLite database is kept in $WORK between runs (delete it to start afresh);
# each run serves a copy of it, so the publication a run makes does not change the next run.
set -euo pipefail
cd "$(dirname "$0")/../.."

PARTIES=${PARTIES:-190}
CYCLES=${CYCLES:-4}
REQUESTS=${REQUESTS:-200}
RUNS=${RUNS:-20}
POSTGRES=${POSTGRES:-1}
PREPARE_ONLY=${PREPARE_ONLY:-0}
WORK=${WORK:-target/bench-indicators}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DATA="$WORK/$PARTIES-$CYCLES"
SERVED="$DATA/served"
mkdir -p "$DATA"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)

echo "==> machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "==> date: $(date -u +%Y-%m-%dT%H:%MZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${QPR:-}" ]; then
  echo "==> building qpr (release)"
  cargo build --release --locked -p qpr
  QPR=${CARGO_TARGET_DIR:-target}/release/qpr
fi

if [ ! -f "$DATA/synth.sqlite3" ]; then
  echo "==> qpr synth --reports $PARTIES --cycles $CYCLES (SQLite)"
  # Into another name first: an interrupted synthesis leaves no database a later run would take.
  rm -f "$DATA"/partial.sqlite3*
  /usr/bin/time -f "synth: %e s, max RSS %M KiB" "$QPR" synth --reports "$PARTIES" --cycles "$CYCLES" --seed 1 \
    --database "sqlite://$DATA/partial.sqlite3" --data-dir "$DATA" 2>&1 | grep -v ' INFO \| WARN '
  python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
    "$DATA/partial.sqlite3" "$DATA/synth.sqlite3"
  rm -f "$DATA"/partial.sqlite3*
fi
du -ch "$DATA"/synth.sqlite3* | awk 'END {print "database: " $1}'
# The search index of the kept database, copied with it: the server then has no index to
# build while it is measured (its follower applies only the run's publication).
if [ ! -f "$DATA/indexed" ]; then
  echo "==> qpr reindex"
  rm -rf "$DATA/search"
  /usr/bin/time -f "reindex: %e s, max RSS %M KiB" "$QPR" reindex --database "sqlite://$DATA/synth.sqlite3" \
    --data-dir "$DATA" 2>&1 | grep -v ' INFO \| WARN '
  touch "$DATA/indexed"
fi
if [ "$PREPARE_ONLY" = 1 ]; then
  echo "==> prepared: $DATA/synth.sqlite3 (run again without PREPARE_ONLY to measure)"
  exit 0
fi

# The server gets a copy (SQLite's backup: consistent even with a WAL beside the file).
rm -rf "$SERVED"
mkdir -p "$SERVED"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
  "$DATA/synth.sqlite3" "$SERVED/synth.sqlite3"
cp -r "$DATA/search" "$SERVED/search"
SERVED_DB="sqlite://$SERVED/synth.sqlite3"

SERVER=""
PG_URL=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  if declare -F stop_postgres >/dev/null; then stop_postgres; fi
}
trap cleanup EXIT

echo "==> qpr serve on 127.0.0.1:$PORT"
start_server() {
  "$QPR" serve --no-demo --database "$SERVED_DB" --data-dir "$SERVED" --listen "127.0.0.1:$PORT" >>"$SERVED/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && return 0; sleep 0.2; done
  echo "error: qpr serve does not answer; its log:" >&2
  cat "$SERVED/serve.log" >&2
  exit 1
}
# The figures are made off the request path (at start and once per site version): the log says
# how long each making took.
figure_log() { { grep -o 'Indicator figures made .*' "$SERVED/serve.log" || true; } | tail -n "$1" | sed 's/^/==> serve: /'; }
start_server
grep VmRSS "/proc/$SERVER/status" | awk '{print "==> serve RSS after start: " int($2/1024) " MiB"}'

# Every path measured: the areas of monitoring come from the 2020 form, the Parties from the
# synthetic reports (their first five), the cycles and regions are the fixed lists.
mapfile -t AREAS < <(python3 -c '
import json
form = json.load(open("crates/domain/data/frameworks/qpr-2020.json"))
print("\n".join(s["area"] for s in form["sections"] if s.get("area") and s.get("goal")))')
mapfile -t FIVE < <(python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("\n".join(r[0] for r in db.execute("SELECT DISTINCT party_iso3 FROM reports WHERE state = '"'"'published'"'"' ORDER BY party_iso3 LIMIT 5")))' "$DATA/synth.sqlite3")
CYCLE_IDS=(2012-2015 2016-2019 2020-2023 2024-2027)
REGIONS=(africa arab_states asia_pacific europe_north_america latin_america_caribbean)
PATHS=("/indicators" "/indicators?cycle=2020-2023&region=africa")
for area in "${AREAS[@]}"; do PATHS+=("/indicators/$area" "/indicators/$area?cycle=2024-2027"); done
for cycle in "${CYCLE_IDS[@]}"; do PATHS+=("/indicators/map?cycle=$cycle"); done
COMPARE="/compare?$(printf 'party=%s&' "${FIVE[@]}")"
PATHS+=("${COMPARE%&}")
for cycle in "${CYCLE_IDS[@]}"; do PATHS+=("/api/v1/indicators?cycle=$cycle"); done
for region in "${REGIONS[@]}"; do PATHS+=("/api/v1/indicators?cycle=2020-2023&region=$region"); done
PATHS+=("/api/v1/indicators?cycle=2020-2023&goal=1" "/api/v1/indicators?cycle=2020-2023&area=${AREAS[0]}"
  "/api/v1/indicators?cycle=2020-2023&question=g1_ccs_ministry" "/api/v1/indicators?cycle=2024-2027&question=g1_ccs_specific_measures")

echo "==> warm caches: $REQUESTS requests per path (after 5 to warm up)"
python3 benches/indicators/measure.py "http://127.0.0.1:$PORT" "$REQUESTS" "${PATHS[@]}"

echo "==> the first request after a publication"
# A report published by another process (the same synthetic generator, another seed: new
# revisions of the first Party's reports); the site version is read at most once a second.
"$QPR" synth --reports 1 --cycles 1 --seed "$RANDOM" --database "$SERVED_DB" --data-dir "$WORK/publication" 2>&1 | tail -n 1
sleep 1.2
python3 benches/indicators/measure.py --first "http://127.0.0.1:$PORT" "${PATHS[@]}"
figure_log 1

grep -E "VmRSS|VmHWM" "/proc/$SERVER/status" | awk '{print "==> serve " $1 " " int($2/1024) " MiB"}'
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=""

echo "==> the first request after a restart (as soon as /healthz answers: a request waits for"
echo "    the figures the server makes at start, reading every published report)"
start_server
python3 benches/indicators/measure.py --first "http://127.0.0.1:$PORT" "${PATHS[@]}"
figure_log 1
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=""

if [ "$POSTGRES" = 1 ]; then
  echo "==> PostgreSQL: the same synthetic reports (same seed)"
  source scripts/lib/ensure-postgres.sh
  PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$PSQL" ] || { echo "error: psql not found; install the Debian package postgresql-client" >&2; exit 1; }
  export PSQL
  PG_DB="qpr_bench_indicators_${PARTIES}_${CYCLES}"
  "$PSQL" "$QPR_TEST_POSTGRES_URL" -X -q -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB"
  PG_URL="${QPR_TEST_POSTGRES_URL%/*}/$PG_DB"
  /usr/bin/time -f "synth (PostgreSQL): %e s" "$QPR" synth --reports "$PARTIES" --cycles "$CYCLES" --seed 1 \
    --database "$PG_URL" --data-dir "$WORK/pg-data" 2>&1 | grep -v ' INFO \| WARN '
fi

echo "==> the same figures by SQL over the stored JSON (json_each on SQLite, jsonb on PostgreSQL)"
# The kept database (the served copy has one more publication): the same as PostgreSQL's.
python3 benches/indicators/sql.py "$DATA/synth.sqlite3" "$PG_URL" "$RUNS"
