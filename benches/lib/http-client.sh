# Sourced by the benchmarks that drive `qpr serve` over HTTP from Python (benches/load,
# benches/board): sets QPR (a release build unless given) and VENV (a virtualenv with
# `requests` from PyPI, the api-fuzz one, made when missing), and defines free_port.

VENV=/var/tmp/qpr-st-venv

if [ -z "${QPR:-}" ]; then
  echo "==> building qpr (release)"
  cargo build --release --locked -p qpr
  QPR="${CARGO_TARGET_DIR:-target}/release/qpr"
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import requests' 2>/dev/null; then
  echo "==> installing requests (PyPI) into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q requests
fi

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
