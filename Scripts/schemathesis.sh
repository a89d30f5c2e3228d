#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis (PyPI), a bounded number of examples
# per operation: no 5xx, every answer matches its schema. Usage: Scripts/schemathesis.sh BIN [EXAMPLES]
set -euo pipefail
bin="$1"; examples="${2:-25}"
venv="${SCHEMATHESIS_VENV:-.build/schemathesis-venv}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  # Installing is the one step that needs the network: without it the fuzzing is skipped, loudly.
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q "schemathesis>=4,<5"; }; then
    echo "schemathesis: could not install it from PyPI; API fuzzing SKIPPED" >&2
    exit 0
  fi
fi
dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
CUSTOMS_HUB_DEMO_KEY=fuzz-key "$bin" serve --demo --demo-orders 2 --port "$port" --db "$dir/hub.sqlite" >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.yaml" --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer fuzz-key" --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --exclude-path /v1/callbacks/{adapter}
