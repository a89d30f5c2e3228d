#!/usr/bin/env bash
# load-bench against `serve` on SQLite (and on PostgreSQL when CUSTOMS_HUB_POSTGRES_URL is set), beside
# pipeline-bench's orders per CPU-second and the store's durable-commit limit, in one run.
# Usage: Scripts/load-bench.sh [ORDERS] [CONCURRENCY] [load-bench flags, e.g. --key-header]
#   (release build; from the repository root; LOAD_BENCH_NO_BUILD=1 uses the binaries already built)
# Two modes per store (LOAD_BENCH_MODES, default "intake demo"): intake is `serve` with every adapter
# disabled (the API alone; filings stay queued), demo is `serve --demo` (delivery to the sandbox and
# its callbacks run beside the orders). The PostgreSQL database should be a fresh one (the bench's
# orders stay in it). When PostgreSQL runs on this machine, its processes' CPU is printed too.
# LOAD_BENCH_BASELINE=DIR (a folder with another build's customs-hub and load-bench, e.g. main's
# copied aside) runs that build and this one alternately, LOAD_BENCH_ROUNDS times (default 3), each
# on a fresh SQLite file, so a change is measured beside its baseline under the same load.
set -euo pipefail
orders="${1:-2000}"; conc="${2:-32}"; shift $(( $# > 2 ? 2 : $# ))
if [ -z "${LOAD_BENCH_NO_BUILD:-}" ]; then
  swift build -c release --product customs-hub >/dev/null
  swift build -c release --product load-bench >/dev/null
  swift build -c release --product pipeline-bench >/dev/null
fi
bin=.build/release
# The servers' data folder (the screening index they cache): under .build, kept between runs, never
# the user's home folder, unless the caller names one.
export CUSTOMS_HUB_DATA="${CUSTOMS_HUB_DATA:-$PWD/.build/load-bench-data}"
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== pipeline-bench (in-process baseline: engines, durable commit, Hub.submit)"
"$bin/pipeline-bench" 1000
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
postgresCPU() {
  local ticks=0 pid
  for pid in $(pgrep -x postgres || true); do
    ticks=$(( ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$ticks"
}
# The intake mode's configuration: the bench's tenant, every adapter disabled.
{
  echo "tenants:"
  echo "  - {id: load, name: Load bench, key_sha256: $(printf %s load-key | sha256sum | cut -d' ' -f1)}"
  echo "adapters:"
  for f in Adapters/*.yaml; do echo "  $(sed -n 's/^adapter: *//p' "$f"): {enabled: false}"; done
} >"$dir/intake.yaml"
bench() {
  local bin="${BENCH_BIN:-$bin}"
  local mode="$1" db="$2" port; shift 2
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  if [ "$mode" = intake ]; then
    CUSTOMS_HUB_LOG_LEVEL=warning "$bin/customs-hub" serve --config "$dir/intake.yaml" --port "$port" --db "$db" >"$dir/serve.log" 2>&1 &
  else
    CUSTOMS_HUB_DEMO_KEY=load-key CUSTOMS_HUB_LOG_LEVEL=warning "$bin/customs-hub" serve --demo --demo-orders 0 --port "$port" --db "$db" >"$dir/serve.log" 2>&1 &
  fi
  local pid=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
  echo "== load-bench, $mode, against $bin/customs-hub serve on ${db%%\?*} (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  local pg0; pg0="$(postgresCPU)"
  "$bin/load-bench" "http://127.0.0.1:$port" load-key --orders "$orders" --concurrency "$conc" --pid "$pid" "$@"
  local pg1; pg1="$(postgresCPU)"
  if [[ "$db" == postgres* ]] && [ "$pg1" != "0" ]; then
    echo "postgres processes' CPU over the run: $(awk -v t=$(( pg1 - pg0 )) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f s", t / hz }')"
  fi
  kill -TERM "$pid"; wait "$pid" || true
}
if [ -n "${LOAD_BENCH_BASELINE:-}" ]; then
  for exe in customs-hub load-bench; do
    [ -x "$LOAD_BENCH_BASELINE/$exe" ] || { echo "load-bench.sh: $LOAD_BENCH_BASELINE/$exe: no such executable" >&2; exit 2; }
  done
  for mode in ${LOAD_BENCH_MODES:-intake demo}; do
    for round in $(seq 1 "${LOAD_BENCH_ROUNDS:-3}"); do
      for b in "$LOAD_BENCH_BASELINE" "$bin"; do
        rm -f "$dir"/hub-*.sqlite*
        echo "== round $round: $([ "$b" = "$bin" ] && echo "this build" || echo baseline)"
        BENCH_BIN="$b" bench "$mode" "$dir/hub-$mode.sqlite" "$@"
      done
    done
  done
  exit 0
fi
for mode in ${LOAD_BENCH_MODES:-intake demo}; do
  rm -f "$dir"/hub-*.sqlite*
  bench "$mode" "$dir/hub-$mode.sqlite" "$@"
  # Each mode on PostgreSQL starts from what the previous left; give a fresh database for a clean run.
  if [ -n "${CUSTOMS_HUB_POSTGRES_URL:-}" ]; then bench "$mode" "$CUSTOMS_HUB_POSTGRES_URL" "$@"; fi
done
