# Sourced by scripts/test (with `set -euo pipefail` active): makes sure the browser tests of
# qpr-web have what they need, and exports where it is.
#
# - Chromium and chromedriver from Debian's packages (installed when missing; needs root).
# - axe-core from npm, an exact version, installed once into a cache directory outside the
#   repository (not vendored: no 0.5 MB of third-party minified code in our history, and the
#   pinned version makes the download reproducible).
# - chromedriver started on a free loopback port for the whole test run.
#
# Exports QPR_CHROMEDRIVER_URL, QPR_CHROMIUM and QPR_AXE_JS, and defines stop_chromedriver,
# which scripts/test calls on exit. The browser tests fail (never skip) when these are missing.
# To run the browser tests by hand: `source scripts/lib/ensure-chromium.sh`, then
# `cargo test -p qpr-web --test it browser::`, then `stop_chromedriver`.

QPR_AXE_VERSION=4.14.1

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Chromium and chromedriver (Debian packages chromium chromium-driver)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "error: chromium and chromedriver are not installed; install the Debian packages chromium and chromium-driver" >&2
    exit 1
  fi
fi
export QPR_CHROMIUM
QPR_CHROMIUM=$(command -v chromium)

axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/qpr/axe-core-$QPR_AXE_VERSION"
export QPR_AXE_JS="$axe_dir/node_modules/axe-core/axe.min.js"
if [ ! -f "$QPR_AXE_JS" ]; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> installing npm (Debian package npm) to fetch axe-core"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    else
      echo "error: npm is needed once to fetch axe-core $QPR_AXE_VERSION; install the Debian package npm" >&2
      exit 1
    fi
  fi
  echo "==> installing axe-core $QPR_AXE_VERSION (npm) into $axe_dir"
  mkdir -p "$axe_dir"
  npm install --prefix "$axe_dir" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "axe-core@$QPR_AXE_VERSION" >/dev/null
  if [ ! -f "$QPR_AXE_JS" ]; then
    echo "error: npm did not install $QPR_AXE_JS" >&2
    exit 1
  fi
fi

chromedriver_dir=$(mktemp -d /tmp/qpr-chromedriver.XXXXXX)
chromedriver_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chromedriver --port="$chromedriver_port" --allowed-ips=127.0.0.1 --log-path="$chromedriver_dir/log" >/dev/null 2>&1 &
chromedriver_pid=$!
stop_chromedriver() {
  # Browsers a failed test left open are chromedriver's children: stop them first.
  pkill -P "$chromedriver_pid" 2>/dev/null || true
  kill "$chromedriver_pid" 2>/dev/null || true
  wait "$chromedriver_pid" 2>/dev/null || true
  rm -rf "$chromedriver_dir"
}
export QPR_CHROMEDRIVER_URL="http://127.0.0.1:$chromedriver_port"
# Wait until chromedriver answers /status (at most 30 s).
if ! python3 - "$QPR_CHROMEDRIVER_URL/status" <<'EOF'
import json, sys, time, urllib.request
deadline = time.time() + 30
while time.time() < deadline:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as reply:
            if json.load(reply)["value"]["ready"]:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.2)
sys.exit(1)
EOF
then
  echo "error: chromedriver did not start; its log:" >&2
  cat "$chromedriver_dir/log" >&2 || true
  stop_chromedriver
  exit 1
fi
echo "==> $("$QPR_CHROMIUM" --version 2>/dev/null | head -n 1), chromedriver on $QPR_CHROMEDRIVER_URL, axe-core $QPR_AXE_VERSION"
