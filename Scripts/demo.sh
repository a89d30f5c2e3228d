#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, and runs the hub as a
# service on a new SQLite file with a sandbox gateway, pushing the sample orders through
# (validation, classification, screening, duty, risk, review routing, filings, delivery, callbacks).
#   Scripts/demo.sh [--port N]     serve --demo until Ctrl-C (extra arguments go to `serve`)
#   Scripts/demo.sh --batch        submit the sample orders once from the command line instead
# Each run has a new SQLite file: under $CUSTOMS_HUB_DATA/demo/ when CUSTOMS_HUB_DATA is set (the data
# folder, where the trained model and screening index are kept too), else under .demo/ here.
set -euo pipefail
# A relative data folder means one under the caller's directory, not under the repository.
if [ -n "${CUSTOMS_HUB_DATA:-}" ]; then
  case "$CUSTOMS_HUB_DATA" in /*) ;; *) CUSTOMS_HUB_DATA="$PWD/$CUSTOMS_HUB_DATA" ;; esac
  export CUSTOMS_HUB_DATA
fi
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build --product customs-hub >&2
hub=.build/debug/customs-hub
demo_folder="${CUSTOMS_HUB_DATA:+$CUSTOMS_HUB_DATA/demo}"
demo_folder="${demo_folder:-.demo}"
mkdir -p "$demo_folder"
database="$demo_folder/hub-$(date +%Y%m%d-%H%M%S).sqlite"
echo "demo: database $database${CUSTOMS_HUB_DATA:+ (data folder $CUSTOMS_HUB_DATA)}" >&2
if [ "${1:-}" != "--batch" ]; then
  exec $hub serve --demo --database "$database" "$@"
fi
# The sample orders as JSON lines, one run of the pipeline. Exit 1 means some order was refused;
# held orders wait in the review queue.
python3 -c 'import json,sys; [print(json.dumps(json.load(open(f)))) for f in sys.argv[1:]]' Fixtures/orders/valid/*.json |
  $hub submit --database "$database" - || echo "demo: submit exited $? (some order refused)" >&2
$hub orders show 1 --database "$database"
$hub review list --database "$database"
