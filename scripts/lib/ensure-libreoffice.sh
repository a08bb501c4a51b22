# Sourced by scripts/test before the tests: makes sure LibreOffice (headless Calc) is installed for
# the workbook's round trip through real spreadsheet software (qpr-workbook's
# `libreoffice::` test, which fails naming the package when `soffice` is missing).

if ! command -v soffice >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing LibreOffice Calc (Debian package libreoffice-calc-nogui)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null
  fi
fi
if ! command -v soffice >/dev/null; then
  echo "error: LibreOffice is not installed and could not be installed; install the Debian package libreoffice-calc-nogui" >&2
  exit 1
fi
