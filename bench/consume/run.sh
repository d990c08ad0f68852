#!/usr/bin/env bash
# bench/consume: pairs/s from a Kafka topic to the ClickHouse server with recorded candidates,
# side by side with a raw transport of the same records (Debian's kcat consuming the topic, piped
# into clickhouse-client's JSONEachRow insert), on this machine, plus the consumer's peak RSS.
#
#   bash scripts/services.sh start all && npm run build
#   bash bench/consume/run.sh [PAIRS]          # default 200000
#   BENCH_CONSUME_ARGS="--diff-threads 0" bash bench/consume/run.sh   # extra consume flags
#   SHADOWDIFF_BIN=../other/bin/shadowdiff.js bash bench/consume/run.sh  # another build, side by side
set -euo pipefail
cd "$(dirname "$0")/../.."
PAIRS="${1:-200000}"
BROKERS="${SHADOWDIFF_KAFKA_BROKERS:-127.0.0.1:19092}"
CH_URL="${SHADOWDIFF_CLICKHOUSE_URL:-http://127.0.0.1:18123}"
CH_PORT="${SHADOWDIFF_CLICKHOUSE_TCP_PORT:-19000}"
OUT="bench/out/consume-$PAIRS"
RUN="$(date +%s)"
TOPIC="bench-consume-$RUN"
DB="bench_consume_$RUN"
command -v kcat >/dev/null || { echo "kcat is needed: apt-get install -y kcat" >&2; exit 1; }

if [ ! -f "$OUT/baseline.jsonl" ]; then
  npx tsx fixtures/generate/main.ts --pair-only --count "$PAIRS" --out "$OUT" >&2
fi
node bin/shadowdiff.js replay --file "$OUT/baseline.jsonl" --topic "$TOPIC" --partitions 4 --brokers "$BROKERS" >&2
# The consumer requires its dead-letter topic (it never creates a topic it depends on):
# replaying an empty file with --partitions creates it.
: >"$OUT/empty.jsonl"
node bin/shadowdiff.js replay --file "$OUT/empty.jsonl" --topic "$TOPIC.dead-letter" --partitions 1 --brokers "$BROKERS" >&2

# shadowdiff: from the consumer's start until every pair is in the store (polled; the same end
# point as the raw pipe's, whose insert returns when its rows are stored). The consumer then
# notices the idle topic and stops; that exit time is reported separately.
start=$(date +%s.%N)
/usr/bin/time -f "%M %U %S" -o /tmp/bench-consume-rss node "${SHADOWDIFF_BIN:-bin/shadowdiff.js}" consume --topic "$TOPIC" --group "g-$RUN" \
  --from-beginning --candidate "file:$OUT/candidate-model-upgrade.jsonl" --brokers "$BROKERS" \
  --store "clickhouse:$CH_URL" --database "$DB" --idle-exit 2 ${BENCH_CONSUME_ARGS:-} 2>/tmp/bench-consume.log &
consumer=$!
stored=0
until [ "$stored" -ge "$PAIRS" ]; do
  kill -0 "$consumer" 2>/dev/null || { echo "consumer exited with $stored of $PAIRS pairs stored" >&2; cat /tmp/bench-consume.log >&2; exit 1; }
  sleep 0.1
  stored=$(curl -fsS "$CH_URL/" --data-binary "SELECT count() FROM $DB.pairs" 2>/dev/null || echo 0)
done
end=$(date +%s.%N)
wait "$consumer"
exited=$(date +%s.%N)
stored=$(curl -fsS "$CH_URL/" --data-binary "SELECT count() FROM $DB.pairs FINAL")
shadowdiff_s=$(echo "$end - $start" | bc -l)
exit_s=$(echo "$exited - $start" | bc -l)

# raw transport: the same records, topic -> kcat -> clickhouse-client insert (no diff, no pairing),
# twice: keeping three fields of each record (the fastest such pipe), and storing each record whole
# (the same bytes shadowdiff moves; JSON text holds no tab or newline, so only backslashes are
# doubled for TabSeparated).
curl -fsS "$CH_URL/" --data-binary "CREATE TABLE $DB.raw (id String, ts String, session String) ENGINE = MergeTree ORDER BY id"
start=$(date +%s.%N)
kcat -C -b "$BROKERS" -t "$TOPIC" -o beginning -e -q |
  clickhouse-client --port "$CH_PORT" --input_format_skip_unknown_fields=1 --query "INSERT INTO $DB.raw FORMAT JSONEachRow"
end=$(date +%s.%N)
raw=$(curl -fsS "$CH_URL/" --data-binary "SELECT count() FROM $DB.raw")
raw_s=$(echo "$end - $start" | bc -l)

curl -fsS "$CH_URL/" --data-binary "CREATE TABLE $DB.raw_whole (record String) ENGINE = MergeTree ORDER BY tuple()"
start=$(date +%s.%N)
kcat -C -b "$BROKERS" -t "$TOPIC" -o beginning -e -q -f '%s\n' | sed 's/\\/\\\\/g' |
  clickhouse-client --port "$CH_PORT" --query "INSERT INTO $DB.raw_whole FORMAT TabSeparated"
end=$(date +%s.%N)
whole=$(curl -fsS "$CH_URL/" --data-binary "SELECT count() FROM $DB.raw_whole")
whole_s=$(echo "$end - $start" | bc -l)
# Whole means whole: the stored bytes (plus one newline a record) add up to the capture file's.
stored_bytes=$(curl -fsS "$CH_URL/" --data-binary "SELECT sum(length(record)) + count() FROM $DB.raw_whole")
[ "$stored_bytes" -eq "$(stat -c %s "$OUT/baseline.jsonl")" ] ||
  { echo "raw whole-record pipe stored $stored_bytes bytes, the capture has $(stat -c %s "$OUT/baseline.jsonl")" >&2; exit 1; }

curl -fsS "$CH_URL/" --data-binary "DROP DATABASE $DB" >/dev/null
printf '{"bench":"consume","pairs":%s,"stored":%s,"shadowdiff_s":%.2f,"consumer_exit_s":%.2f,"shadowdiff_pairs_per_s":%.0f,"raw_records":%s,"raw_s":%.2f,"raw_per_s":%.0f,"ratio":%.3f,"raw_whole_records":%s,"raw_whole_s":%.2f,"raw_whole_per_s":%.0f,"ratio_whole":%.3f,"consumer_peak_rss_mb":%.0f,"consumer_cpu_s":%.2f}\n' \
  "$PAIRS" "$stored" "$shadowdiff_s" "$exit_s" "$(echo "$PAIRS / $shadowdiff_s" | bc -l)" "$raw" "$raw_s" \
  "$(echo "$raw / $raw_s" | bc -l)" "$(echo "($PAIRS / $shadowdiff_s) / ($raw / $raw_s)" | bc -l)" \
  "$whole" "$whole_s" "$(echo "$whole / $whole_s" | bc -l)" "$(echo "($PAIRS / $shadowdiff_s) / ($whole / $whole_s)" | bc -l)" \
  "$(echo "$(cut -d' ' -f1 /tmp/bench-consume-rss) / 1024" | bc -l)" \
  "$(echo "$(cut -d' ' -f2 /tmp/bench-consume-rss) + $(cut -d' ' -f3 /tmp/bench-consume-rss)" | bc -l)"
