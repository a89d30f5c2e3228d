#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, and runs the hub as a
# service on a new SQLite file with a sandbox gateway, pushing the sample orders through
# (validation, classification, screening, duty, risk, review routing, filings, delivery, callbacks).
#   Scripts/demo.sh [--port N]     serve --demo until Ctrl-C (extra arguments go to `serve`)
#   Scripts/demo.sh --batch        submit the sample orders once from the command line instead
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build --product customs-hub >&2
hub=.build/debug/customs-hub
mkdir -p .demo
database=".demo/hub-$(date +%Y%m%d-%H%M%S).sqlite"
echo "demo: database $database" >&2
if [ "${1:-}" != "--batch" ]; then
  exec $hub serve --demo --database "$database" "$@"
fi
# The sample orders as JSON lines, one run of the pipeline. Exit 1 means some order was refused;
# held orders wait in the review queue.
python3 -c 'import json,sys; [print(json.dumps(json.load(open(f)))) for f in sys.argv[1:]]' Fixtures/orders/valid/*.json |
  $hub submit --database "$database" - || echo "demo: submit exited $? (some order refused)" >&2
$hub orders show 1 --database "$database"
$hub review list --database "$database"
