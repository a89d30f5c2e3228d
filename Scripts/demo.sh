#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, and takes the sample
# orders through the hub on a fresh SQLite database (validation, classification, screening, duty,
# risk, review routing, filings into the outbox), then shows one order and the review queue.
#   Scripts/demo.sh [DATABASE-FILE]     (default: a new file under ./.demo/)
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build --product customs-hub >&2
hub=.build/debug/customs-hub
mkdir -p .demo
database="${1:-.demo/hub-$(date +%Y%m%d-%H%M%S).sqlite}"
echo "demo: database $database" >&2
# The sample orders as JSON lines, one run of the pipeline. Exit 1 means some order was refused;
# held orders wait in the review queue.
python3 -c 'import json,sys; [print(json.dumps(json.load(open(f)))) for f in sys.argv[1:]]' Fixtures/orders/valid/*.json |
  $hub submit --database "$database" - || echo "demo: submit exited $? (some order refused)" >&2
$hub orders show 1 --database "$database"
$hub review list --database "$database"
