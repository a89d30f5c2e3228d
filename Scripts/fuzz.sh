#!/usr/bin/env bash
# libFuzzer campaigns on every reader of outside bytes (issue #21), outside `swift test`.
#   Scripts/fuzz.sh [SECONDS-PER-READER] [READER...]     (readers: json xml yaml csv ofac un eu_fsf ftm ofac_advanced pack uk_tariff taric cbsa au_tariff)
# Builds Sources/fuzz-readers with -sanitize=fuzzer,address into .build-fuzz (its own build
# folder, so the normal build is untouched), seeds each campaign with the repository's own files
# and Fixtures/fuzz/<reader>, keeps the grown corpus in .build-fuzz/corpus/<reader>, and writes any
# crashing input to .build-fuzz/crashes/<reader>/. Copy a crasher into Fixtures/fuzz/<reader>/ once
# it is fixed: the FuzzTests suite replays that folder on every `swift test`.
# Set SWIFT_BUILD to prefix the build (for example with a lock on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
readers=("$@")
[ ${#readers[@]} -gt 0 ] || readers=(json xml yaml csv ofac un eu_fsf ftm ofac_advanced pack uk_tariff taric cbsa au_tariff)

${SWIFT_BUILD:-} swift build -c release --product fuzz-readers --build-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld >&2
bin=.build-fuzz/release/fuzz-readers

seeds() {
  case "$1" in
    json) echo Fixtures/json/*/ Fixtures/orders/valid Fixtures/fuzz/json ;;
    xml) echo Fixtures/xml/*/ Fixtures/fuzz/xml ;;
    yaml) echo Mappings/*/ Adapters Fixtures/fuzz/yaml ;;
    csv) echo Fixtures/screening Fixtures/fuzz/csv ;;
    ofac) echo Fixtures/fuzz/sanctions ;;
    un) echo Fixtures/fuzz/sanctions ;;
    eu_fsf | ftm | ofac_advanced) echo Fixtures/data-update Fixtures/fuzz/sanctions ;;
    pack) echo Data/packs/GB Data/packs/CH Fixtures/fuzz/pack ;;
    uk_tariff | taric | cbsa | au_tariff) echo Fixtures/data-update ;;
  esac
}

status=0
for r in "${readers[@]}"; do
  corpus=.build-fuzz/corpus/$r
  crashes=.build-fuzz/crashes/$r
  mkdir -p "$corpus" "$crashes"
  # Seed folders are read-only inputs; libFuzzer writes new coverage into the first folder only.
  # shellcheck disable=SC2046
  if FUZZ_TARGET=$r ASAN_OPTIONS=detect_leaks=0 "$bin" "$corpus" $(seeds "$r") \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
      -artifact_prefix="$crashes/" -print_final_stats=1 >".build-fuzz/$r.log" 2>&1; then
    verdict="no crash"
  else
    verdict="FOUND $(ls "$crashes" | wc -l) artefact(s) in $crashes"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' ".build-fuzz/$r.log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' ".build-fuzz/$r.log" | tail -1 | grep -o '[0-9]*' || echo "?")
  printf '%-5s %6s runs in %ss, coverage %s edges: %s\n' "$r" "$runs" "$seconds" "$cov" "$verdict"
done
exit $status
