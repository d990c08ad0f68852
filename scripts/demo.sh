#!/usr/bin/env bash
# The README's first command (`npm run demo`): runs shadowdiff on the bundled fixture captures
# into the embedded store (chDB, no Kafka, no server) and prints the drift report of each
# candidate. Re-running it replaces the same pairs, so the report does not change.
#
# `npm run demo -- --executed` executes the model-upgrade release instead of reading its
# recorded capture: against the scripted model server (a FIXTURE speaking the OpenAI protocol,
# started here on a free port), with tool calls answered from the baseline's recordings.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
F=fixtures
EXECUTED=0
ARGS=()
for arg in "$@"; do
  if [ "$arg" = "--executed" ]; then EXECUTED=1; else ARGS+=("$arg"); fi
done

if [ "$EXECUTED" = 1 ]; then
  url_file="$(mktemp)"
  # One process (node with the tsx loader), so killing it leaves no child holding the terminal.
  node --import tsx "$F/model-server/main.ts" >"$url_file" 2>/dev/null &
  server=$!
  trap 'kill "$server" 2>/dev/null || true; rm -f "$url_file"' EXIT
  for _ in $(seq 1 100); do grep -q http "$url_file" && break; sleep 0.1; done
  url="$(grep http "$url_file")"
  echo "demo: scripted model server (fixture) at $url" >&2
  node bin/shadowdiff.js run \
    --source "file:$F/captures/baseline.jsonl" \
    --candidate "release:$F/releases/candidate-model-upgrade.yaml" \
    --noise "file:$F/captures/aa.jsonl" \
    --release "$F/releases/baseline.yaml" \
    --model-base-url "$url" --rate-limit 200 --concurrency 16 \
    --store "${SHADOWDIFF_STORE:-chdb:./.shadowdiff/demo-executed}" \
    --by tenant,intent \
    ${ARGS[@]+"${ARGS[@]}"}
  exit 0
fi

STORE="${SHADOWDIFF_STORE:-chdb:./.shadowdiff/demo}"
node bin/shadowdiff.js run \
  --source "file:$F/captures/baseline.jsonl" \
  --candidate "file:$F/captures/candidate-model-upgrade.jsonl" \
  --candidate "file:$F/captures/candidate-prompt-tweak.jsonl" \
  --noise "file:$F/captures/aa.jsonl" \
  --rules "$F/rules.yaml" \
  --release "$F/releases/baseline.yaml" \
  --release "$F/releases/candidate-model-upgrade.yaml" \
  --release "$F/releases/candidate-prompt-tweak.yaml" \
  --store "$STORE" \
  --by tenant,intent \
  ${ARGS[@]+"${ARGS[@]}"}

# The verdict CI would give each candidate, and what to run next, on stderr: stdout stays the
# reports alone (`npm run demo -- --format json | jq` works). gate exits 1 (fail) or 3 (hold)
# by design: the demo shows the verdict, it does not stop on it.
{
for candidate in support-agent@1.5.0-rc.1 support-agent@1.4.1; do
  echo
  echo "== shadowdiff gate --candidate $candidate --policy $F/releases/gate.yaml --store $STORE --format markdown"
  node bin/shadowdiff.js gate --candidate "$candidate" --policy "$F/releases/gate.yaml" --store "$STORE" --format markdown || true
done

cat <<NEXT

Next, on this store (the demo's, not the default one):
  node bin/shadowdiff.js report --candidate support-agent@1.5.0-rc.1 --store $STORE --format html --out reports/drift.html --policy $F/releases/gate.yaml
  node bin/shadowdiff.js gate --candidate support-agent@1.5.0-rc.1 --store $STORE --policy $F/releases/gate.yaml --format markdown
  node bin/shadowdiff.js harvest --candidate support-agent@1.5.0-rc.1 --store $STORE --out /tmp/shadowdiff-bench
NEXT
} >&2
