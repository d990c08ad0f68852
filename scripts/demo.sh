#!/usr/bin/env bash
# The README's first command (`npm run demo`): runs shadowdiff on the bundled fixture captures
# into the embedded store (chDB, no Kafka, no server) and prints the drift report of each
# candidate. Re-running it replaces the same pairs, so the report does not change.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
F=fixtures
exec node bin/shadowdiff.js run \
  --source "file:$F/captures/baseline.jsonl" \
  --candidate "file:$F/captures/candidate-model-upgrade.jsonl" \
  --candidate "file:$F/captures/candidate-prompt-tweak.jsonl" \
  --noise "file:$F/captures/aa.jsonl" \
  --release "$F/releases/baseline.yaml" \
  --release "$F/releases/candidate-model-upgrade.yaml" \
  --release "$F/releases/candidate-prompt-tweak.yaml" \
  --store "${SHADOWDIFF_STORE:-chdb:./.shadowdiff/demo}" \
  --by tenant,intent \
  "$@"
