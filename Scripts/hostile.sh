#!/usr/bin/env bash
# Replays every hostile input of issue #21 (Fixtures/hostile/cases.tsv, plus the large generated
# ones) against a release build of customs-hub, one line per input: exit code, wall and CPU time,
# peak memory, and whether the door refused or answered within 2 s and 256 MB. The screening index is
# built first by `customs-hub data index` in a scratch data folder (printed as the set-up line).
#   Scripts/hostile.sh [CASE-ID-PREFIX...]
# Set SWIFT_BUILD to prefix the build (for example with a lock on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
${SWIFT_BUILD:-} swift build -c release --product customs-hub >&2
exec python3 Scripts/hostile.py .build/release/customs-hub "$@"
