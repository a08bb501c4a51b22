# Sourced by scripts/test (and .ci/run through it): makes sure nginx's binary is installed
# for the three-node test (crates/cli/tests/it/nodes.rs), which starts its own nginx as an
# unprivileged process on free loopback ports with a temporary prefix. Exports
# QPR_TEST_NGINX, the binary the test runs.

nginx_bin() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }
}

if [ -z "$(nginx_bin)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing nginx (Debian package nginx-light, else nginx)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1 \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
    # The package starts a system nginx on port 80; the tests need only the binary.
    if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then systemctl stop nginx || true; fi
  fi
fi
QPR_TEST_NGINX=$(nginx_bin)
if [ -z "$QPR_TEST_NGINX" ]; then
  echo "error: nginx is not installed and could not be installed; install the Debian package nginx (or nginx-light)" >&2
  exit 1
fi
export QPR_TEST_NGINX
echo "==> $("$QPR_TEST_NGINX" -v 2>&1) for the three-node test"
