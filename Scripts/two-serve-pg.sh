#!/usr/bin/env bash
# Two `serve --demo` processes on one PostgreSQL database, ORDERS orders posted alternately to both
# (the GB apparel fixture, filed to EasyPost and CDS). Then, from the database: each filing delivered
# exactly once, the most sends to one adapter in any wall-clock second (the shared token bucket:
# at most rate + burst in a second, rate on average), and what became of the callbacks.
# Usage: Scripts/two-serve-pg.sh BIN POSTGRES_URL [ORDERS]   (an empty database; from the repository root)
set -euo pipefail
bin="$1"; db="$2"; orders="${3:-1000}"
dir="$(mktemp -d)"
ports=()
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
for n in 1 2; do
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  CUSTOMS_HUB_DEMO_KEY=two-key CUSTOMS_HUB_LOG_LEVEL=warning "$bin" serve --demo --demo-orders 0 --port "$port" --db "$db" >"$dir/serve-$n.log" 2>&1 &
  pids+=($!); ports+=("$port")
  sleep 2
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 900); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/readyz', timeout=2)" 2>/dev/null && break
    sleep 1
  done
done
python3 - "$orders" "${ports[@]}" <<'PY'
import json, sys, urllib.request, concurrent.futures, collections
n, ports = int(sys.argv[1]), sys.argv[2:]
base = json.load(open('Fixtures/orders/valid/gb-b2c-apparel-from-cn.json'))
def post(i):
    o = dict(base, idempotency_key=f'two-{i}', external_reference=f'T-{i}')
    req = urllib.request.Request(f'http://127.0.0.1:{ports[i % len(ports)]}/v1/orders', data=json.dumps(o).encode(), method='POST',
                                 headers={'Authorization': 'Bearer two-key', 'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(req, timeout=120) as r: return r.status
    except urllib.error.HTTPError as e: return e.code
with concurrent.futures.ThreadPoolExecutor(8) as ex: print('POST /v1/orders:', dict(collections.Counter(ex.map(post, range(n)))))
PY
q() { psql "$db" -tA -F ' ' -c "$1"; }
# Wait until every row is delivered or dead (the slowest adapter sends `rate` a second).
for _ in $(seq 1 1800); do
  [ "$(q "SELECT count(*) FROM outbox WHERE state NOT IN ('delivered','dead')")" = 0 ] && break
  sleep 1
done
sleep 10
echo "outbox rows (adapter state count):"; q "SELECT adapter_id, state, count(*) FROM outbox GROUP BY 1, 2 ORDER BY 1, 2"
echo "rows delivered more than once: $(q "SELECT count(*) FROM (SELECT message_id FROM attempts WHERE http_status BETWEEN 200 AND 299 GROUP BY message_id HAVING count(*) > 1) x")"
echo "filings the two sandboxes received: $(cat "$dir"/serve-*.log | grep -c 'received filing')"
echo "most sends in one second, and sends per second overall (adapter max average):"
q "SELECT o.adapter_id, max(c), round(sum(c)::numeric / GREATEST(1, max(s) - min(s) + 1), 2) FROM (SELECT m.adapter_id, a.started_at / 1000 AS s, count(*) AS c FROM attempts a JOIN outbox m ON m.id = a.message_id GROUP BY 1, 2) o GROUP BY 1"
echo "callbacks (status count):"; q "SELECT status, count(*) FROM inbox GROUP BY 1"
