#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build and run CustomsHub, and nothing twice.
#   Scripts/setup.sh            build and run: libcurl, libxml2, SQLite, poppler, Tesseract
#   Scripts/setup.sh --tests    also what the tests need: PostgreSQL (a private server is started
#                               by Scripts/test.sh), the tools of the document benchmark baseline,
#                               and Chromium with its WebDriver for the workbench's browser test
# Swift itself (6.2 or later) must already be on PATH.
set -euo pipefail
command -v swift >/dev/null || { echo "setup: swift is not on PATH; install Swift 6.2 or later from swift.org" >&2; exit 3; }

packages=(libcurl4-openssl-dev libxml2-dev libsqlite3-dev libpoppler-glib-dev libtesseract-dev tesseract-ocr-eng
  tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld)
if [ "${1:-}" = "--tests" ]; then
  packages+=(poppler-utils tesseract-ocr postgresql python3-venv curl chromium chromium-driver)
fi
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${need[*]}" >&2; exit 3; }
  SUDO="sudo"
fi
echo "setup: installing ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
