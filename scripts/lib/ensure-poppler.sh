# Sourced by scripts/test (with `set -euo pipefail` active): makes sure the PDF tests
# (`qpr-pdf`'s and `qpr-web`'s `report_pdf::`) have the real PDF readers they check the
# reports' PDFs with: pdftotext, pdfinfo and pdffonts from Debian's poppler-utils (installed
# when missing; needs root). The tests fail (never skip) when these are missing.

if ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null || ! command -v pdffonts >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing pdftotext, pdfinfo and pdffonts (Debian package poppler-utils)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  else
    echo "error: pdftotext, pdfinfo and pdffonts are not installed; install the Debian package poppler-utils" >&2
    exit 1
  fi
fi
