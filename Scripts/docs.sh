#!/usr/bin/env bash
# Builds the documentation catalog (Sources/Hub/CustomsHub.docc: articles for integrators, operators
# and developers) into static HTML with the toolchain's docc. Open OUT/index.html through a web
# server, e.g. `python3 -m http.server -d .build/docs`, then /documentation/customshub.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/docs}
docc convert Sources/Hub/CustomsHub.docc \
  --fallback-display-name CustomsHub --fallback-bundle-identifier dev.customshub.CustomsHub --fallback-bundle-version 1.0 \
  --transform-for-static-hosting --output-path "$out"
echo "documentation written to $out (serve it, then open /documentation/customshub)" >&2
