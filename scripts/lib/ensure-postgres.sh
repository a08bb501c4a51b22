# Sourced by scripts/test: makes sure PostgreSQL's binaries are installed, starts one
# throwaway server for the whole test run (temporary directory, free loopback port,
# unprivileged user) and exports QPR_TEST_POSTGRES_URL for the tests. The server and its
# files are removed when the test run ends (see the trap in scripts/test).

pg_bin_dir() {
  local initdb
  initdb=$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$initdb" ] && dirname "$initdb"
}

if [ -z "$(pg_bin_dir)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing PostgreSQL (Debian package postgresql)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
fi
PG_BIN=$(pg_bin_dir)
if [ -z "$PG_BIN" ]; then
  echo "error: PostgreSQL is not installed and could not be installed; install the Debian package postgresql (or set QPR_TEST_POSTGRES_URL)" >&2
  exit 1
fi

if [ -z "${QPR_TEST_POSTGRES_URL:-}" ]; then
  PG_DIR=$(mktemp -d /tmp/qpr-test-pg.XXXXXX)
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PG_AS=()
  if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    id "$PG_USER" >/dev/null 2>&1 || PG_USER=nobody
    chown -R "$PG_USER" "$PG_DIR"
    PG_AS=(runuser -u "$PG_USER" --)
  fi
  "${PG_AS[@]}" "$PG_BIN/initdb" --auth=trust --username=qpr --no-sync --encoding=UTF8 --locale=C -D "$PG_DIR/data" >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null \
    || { cat "$PG_DIR/log" >&2; exit 1; }
  stop_postgres() {
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  }
  export QPR_TEST_POSTGRES_URL="postgres://qpr@127.0.0.1:$PG_PORT/postgres"
  echo "==> PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT for this test run"
fi
