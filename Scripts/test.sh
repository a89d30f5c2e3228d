#!/usr/bin/env bash
# The test command: installs what is missing, builds once, starts a private PostgreSQL on loopback
# (removed on exit) and runs the whole suite on SQLite and PostgreSQL. CI runs exactly this.
#   Scripts/test.sh [swift test arguments, e.g. --filter PipelineTests]
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh --tests
swift build --build-tests
. Scripts/postgres.sh
start_postgres
# A PostgreSQL test that cannot reach its server fails instead of skipping.
CUSTOMS_HUB_REQUIRE_POSTGRES=1 swift test --skip-build "$@"
# The whole run also fuzzes the API from its own OpenAPI document (bounded examples).
if [ $# -eq 0 ]; then Scripts/schemathesis.sh .build/debug/customs-hub 20; fi
