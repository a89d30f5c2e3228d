#!/usr/bin/env bash
# Rewrites Fixtures/golden/ from the current adapters and mappings. Run after an intended change to a
# mapping, then review the diff: the golden tests compare against these files.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product customs-hub >/dev/null
hub=.build/debug/customs-hub
at=2026-11-21T08:00:00Z
rm -rf Fixtures/golden && mkdir -p Fixtures/golden
for adapter in easypost dhl-express generic-webhook uk-cds uk-ics cusdec-gateway; do
  mkdir -p "Fixtures/golden/$adapter"
  for order in Fixtures/orders/valid/*.json; do
    name=$(basename "$order" .json)
    body=$($hub render --adapter "$adapter" --at "$at" --body-only "$order" 2>/dev/null) || continue
    case "$adapter" in
      uk-cds|uk-ics) printf '%s\n' "$body" > "Fixtures/golden/$adapter/$name.xml" ;;
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
