#!/usr/bin/env bash
# Rewrites Fixtures/golden/ from the current adapters and mappings. Run after an intended change to a
# mapping, then review the diff: the golden tests compare against these files.
set -euo pipefail
cd "$(dirname "$0")/.."
# HUB=path/to/customs-hub skips the build (when builds go through a shared lock).
if [ -z "${HUB:-}" ]; then swift build --product customs-hub >/dev/null; fi
hub=${HUB:-.build/debug/customs-hub}
at=2026-11-21T08:00:00Z
# The render context of every golden: reference sequence 1, dated FX rates and a movement, with the
# order's own movement from Fixtures/golden/movements/ (these two are inputs, not outputs: kept).
find Fixtures/golden -mindepth 1 -maxdepth 1 ! -name render-context.json ! -name movements -exec rm -rf {} +
for adapter in easypost dhl-express generic-webhook uk-cds uk-ics cusdec-gateway eu-h7; do
  mkdir -p "Fixtures/golden/$adapter"
  for order in Fixtures/orders/valid/*.json; do
    name=$(basename "$order" .json)
    context=(--context Fixtures/golden/render-context.json)
    [ -f "Fixtures/golden/movements/$name.json" ] && context+=(--context "Fixtures/golden/movements/$name.json")
    status=0
    body=$($hub render --adapter "$adapter" --at "$at" "${context[@]}" --body-only "$order" 2>/dev/null) || status=$?
    if [ "$status" -ne 0 ]; then
      # Refused by the adapter's business rules: the golden is the list of rules broken.
      if printf '%s' "$body" | python3 -c 'import json,sys; v=json.load(sys.stdin).get("violations"); sys.exit(0 if v else 1)' 2>/dev/null; then
        printf '%s' "$body" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["violations"], indent=2))' > "Fixtures/golden/$adapter/$name.refused.json"
      fi
      continue
    fi
    case "$adapter" in
      uk-cds|uk-ics|eu-h7) printf '%s\n' "$body" > "Fixtures/golden/$adapter/$name.xml" ;;
      cusdec-gateway) printf '%s\n' "$body" > "Fixtures/golden/$adapter/$name.edi" ;;
      *) printf '%s\n' "$body" | python3 -m json.tool --indent 2 > "Fixtures/golden/$adapter/$name.json" ;;
    esac
  done
done
$hub ingest --adapter easypost Fixtures/json/easypost/webhook_event_tracker_updated.json > Fixtures/golden/easypost/callback-tracker-updated.jsonl
$hub ingest --adapter generic-webhook Fixtures/json/generic-webhook/status_rejected.json > Fixtures/golden/generic-webhook/callback-status-rejected.jsonl
for f in Fixtures/xml/hmrc-cds/*DMS*.xml; do
  $hub ingest --adapter uk-cds "$f" > "Fixtures/golden/uk-cds/callback-$(basename "$f" .xml).jsonl"
done
for f in cusres_d96b contrl_accepted contrl_rejected; do
  $hub ingest --adapter cusdec-gateway "Fixtures/edifact/synthetic/$f.edi" > "Fixtures/golden/cusdec-gateway/callback-$f.jsonl"
done
mkdir -p Fixtures/golden/shop-webhook
$hub ingest --adapter shop-webhook Fixtures/json/shop/order_created.json > Fixtures/golden/shop-webhook/order_created.jsonl
echo "golden files: $(find Fixtures/golden -type f | wc -l)"
