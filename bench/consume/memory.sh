#!/usr/bin/env bash
# Consumer memory over a million records: replays a 1,000,000-record capture, consumes it into
# the ClickHouse server, and samples the consumer's RSS every 2 s (VmRSS from /proc).
#
#   bash scripts/services.sh start all && npm run build && bash bench/consume/memory.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT="${1:-1000000}"
BROKERS="${SHADOWDIFF_KAFKA_BROKERS:-127.0.0.1:19092}"
CH_URL="${SHADOWDIFF_CLICKHOUSE_URL:-http://127.0.0.1:18123}"
OUT="bench/out/consume-$COUNT"
RUN="$(date +%s)"
TOPIC="bench-memory-$RUN"
DB="bench_memory_$RUN"
[ -f "$OUT/baseline.jsonl" ] || npx tsx fixtures/generate/main.ts --pair-only --count "$COUNT" --out "$OUT" >&2
node bin/shadowdiff.js replay --file "$OUT/baseline.jsonl" --topic "$TOPIC" --partitions 4 --brokers "$BROKERS" >&2
# The consumer requires its dead-letter topic (it never creates a topic it depends on):
# replaying an empty file with --partitions creates it.
: >"$OUT/empty.jsonl"
node bin/shadowdiff.js replay --file "$OUT/empty.jsonl" --topic "$TOPIC.dead-letter" --partitions 1 --brokers "$BROKERS" >&2
node bin/shadowdiff.js consume --topic "$TOPIC" --group "g-$RUN" --from-beginning \
  --candidate "file:$OUT/candidate-model-upgrade.jsonl" --brokers "$BROKERS" \
  --store "clickhouse:$CH_URL" --database "$DB" --idle-exit 3 --metrics-port 19465 2>/tmp/bench-memory.log &
pid=$!
echo "seconds,records,rss_mb"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  records=$(curl -fsS "http://127.0.0.1:19465/metrics" 2>/dev/null | awk '/^shadowdiff_records_total/ {print $2}' || true)
  echo "$(( $(date +%s) - start )),${records:-0},$(( ${rss:-0} / 1024 ))"
  sleep 2
done
wait "$pid"
curl -fsS "$CH_URL/" --data-binary "SELECT count() FROM $DB.pairs FINAL" | sed 's/^/stored pairs: /' >&2
curl -fsS "$CH_URL/" --data-binary "DROP DATABASE $DB" >/dev/null
