#!/usr/bin/env bash
# load-bench against `serve` on SQLite (and on PostgreSQL when CUSTOMS_HUB_POSTGRES_URL is set), beside
# pipeline-bench's orders per CPU-second and the store's durable-commit limit, in one run.
# Usage: Scripts/load-bench.sh [ORDERS] [CONCURRENCY]   (release build; from the repository root)
set -euo pipefail
orders="${1:-2000}"; conc="${2:-32}"
swift build -c release --product customs-hub >/dev/null
swift build -c release --product load-bench >/dev/null
swift build -c release --product pipeline-bench >/dev/null
bin=.build/release
echo "== pipeline-bench (in-process baseline: engines, durable commit, Hub.submit)"
"$bin/pipeline-bench" 1000
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
bench() {
  local db="$1" port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  CUSTOMS_HUB_DEMO_KEY=load-key CUSTOMS_HUB_LOG_LEVEL=warning "$bin/customs-hub" serve --demo --demo-orders 0 --port "$port" --db "$db" >"$dir/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
  echo "== load-bench against serve on $db"
  "$bin/load-bench" "http://127.0.0.1:$port" load-key --orders "$orders" --concurrency "$conc" --pid "$pid"
  kill -TERM "$pid"; wait "$pid" || true
}
bench "$dir/hub.sqlite"
if [ -n "${CUSTOMS_HUB_POSTGRES_URL:-}" ]; then bench "$CUSTOMS_HUB_POSTGRES_URL"; fi
