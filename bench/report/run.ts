/**
 * bench/report: a full drift report (all metrics, two segment dimensions, noise floor) over
 * N generated pairs, on chDB and on the ClickHouse server.
 *
 *   bash scripts/services.sh start clickhouse
 *   npm run bench:report [-- --pairs 10000000 --backends chdb,clickhouse --runs 3]
 *
 * Pairs are generated inside ClickHouse (`INSERT … SELECT … FROM numbers(N)`, a fixed hash of the
 * row number choosing labels, categories, paths, latency and cost), plus an A/A set of N/10, so
 * the benchmark measures the report, not the loader. Prints, per backend: load time, report time
 * (median of runs), and this process's peak RSS before and after the reports.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildReport } from "../../src/analyze/report.js";
import { openChdbStore } from "../../src/store/chdb-store.js";
import { openClickHouseStore } from "../../src/store/clickhouse-store.js";
import { migrate } from "../../src/store/migrate.js";
import type { Store } from "../../src/store/store.js";

const { values } = parseArgs({
  options: {
    pairs: { type: "string", default: "10000000" },
    backends: { type: "string", default: "chdb,clickhouse" },
    runs: { type: "string", default: "3" },
    trace: { type: "boolean", default: false },
    url: { type: "string", default: process.env.SHADOWDIFF_CLICKHOUSE_URL ?? "http://127.0.0.1:18123" },
  },
});
const pairs = Number(values.pairs);
const runs = Number(values.runs);

const CANDIDATE = "sha256:bench-candidate";
const BASELINE = "sha256:bench-baseline";

/** Generated rows: every value is a function of the row number, so both backends get the same data. */
export function generateSql(database: string, count: number, aa: boolean): string {
  const h = (salt: number) => `cityHash64(number, ${salt})`;
  const candidate = aa ? BASELINE : CANDIDATE;
  const category = `multiIf(${h(5)} % 1000 < 20, 'candidate_error', ${h(5)} % 1000 < 30, 'refusal_flip', ${h(5)} % 1000 < 60, 'outcome_mismatch', ${h(5)} % 1000 < 150, 'tool_sequence_drift', ${h(5)} % 1000 < 250, 'args_drift', ${h(5)} % 1000 < 600, 'text_only', 'identical')`;
  return `INSERT INTO ${database}.pairs
SELECT
  '${candidate}', '${BASELINE}', concat('req-', toString(number)), toUInt16(${aa ? 1 : 0}),
  concat('s-', toString(intDiv(number, 3))), toDateTime(1763629200 + intDiv(number, 50)),
  ['intent', 'tenant'],
  [arrayElement(['refund', 'order_status', 'account_update', 'general_question', 'abuse'], ${h(1)} % 5 + 1),
   arrayElement(['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'], ${h(2)} % 6 + 1)],
  cat, '', multiIf(cat = 'args_drift', ['/steps/refund_order/arguments/currency'], cat = 'text_only', ['/output'],
    cat = 'tool_sequence_drift', ['/steps:order'], cat = 'outcome_mismatch', ['/outcome/amount'],
    cat = 'refusal_flip', ['/refusal', '/outcome'], cat = 'candidate_error', ['/error'], emptyArrayString()),
  1, 1, 1, 1, toUInt16(0), '', '[]', '[]',
  toUInt8(${h(6)} % 100 < 7), toUInt8(${h(6)} % 100 < 7 OR cat = 'refusal_flip'),
  '', if(cat = 'candidate_error', 'timeout', ''),
  toUInt16(3), toUInt16(3), toUInt16(0), toUInt16(${h(7)} % 100 < 5), toUInt16(0), toUInt16(0), toUInt16(0),
  toUInt32(1000 + ${h(8)} % 800), toUInt32(100 + ${h(9)} % 300), toUInt32(400),
  toUInt32(1000 + ${h(8)} % 800), toUInt32((100 + ${h(9)} % 300) * 1.3), toUInt32(400),
  0.002 + (${h(8)} % 800) / 1000000., 0.0025 + (${h(8)} % 800) / 900000., 1, 1,
  'openai/gpt-4o-2024-08-06', 'openai/gpt-4.1-2025-04-14',
  2000 + ${h(3)} % 4000, (2000 + ${h(3)} % 4000) * (1 + (${h(4)} % 50) / 100.),
  '', toUInt64(1),
  ['task_success', 'refund_has_currency'], ['record', 'check'],
  [toFloat64(${h(10)} % 100 < 60), toFloat64(${h(11)} % 100 < 95)],
  [toFloat64(${h(12)} % 100 < ${aa ? 60 : 55}), toFloat64(${h(13)} % 100 < ${aa ? 95 : 80})],
  [toUInt8(1), toUInt8(${h(14)} % 100 < 40)], [toUInt8(1), toUInt8(${h(14)} % 100 < 40)],
  ['', ''], ['', if(${h(13)} % 100 < ${aa ? 95 : 80}, '', '/steps/0/arguments must have property currency')],
  ['escalate_to_human', 'lookup_order', 'refund_order'],
  [toUInt16(${h(15)} % 100 < 8), toUInt16(1), toUInt16(${h(16)} % 3)],
  [toUInt16(${h(17)} % 100 < ${aa ? 8 : 22}), toUInt16(1), toUInt16(${h(16)} % 3)],
  [toUInt16(0), toUInt16(0), toUInt16(0)], [toUInt16(0), toUInt16(${h(7)} % 100 < 5), toUInt16(0)]
FROM (SELECT number, ${category} AS cat FROM numbers(${count}))`;
}

async function bench(backend: "chdb" | "clickhouse"): Promise<Record<string, unknown>> {
  const database = `bench_report_${process.pid}`;
  const store: Store =
    backend === "chdb"
      ? await openChdbStore(await mkdtemp(join(tmpdir(), "shadowdiff-bench-")), database)
      : await openClickHouseStore({ url: values.url, database, requestTimeoutMs: 3_600_000 });
  try {
    await migrate(store);
    let started = performance.now();
    await store.exec(generateSql(database, pairs, false));
    await store.exec(generateSql(database, Math.floor(pairs / 10), true));
    const loadSeconds = (performance.now() - started) / 1000;
    await store.exec(
      `INSERT INTO ${database}.releases (release_id, name, release_version, model, manifest, registered_at, version) VALUES ('${CANDIDATE}', 'bench', '2', 'openai/gpt-4.1-2025-04-14', '', now(), 1), ('${BASELINE}', 'bench', '1', 'openai/gpt-4o-2024-08-06', '', now(), 1)`,
    );
    if (values.trace) traceQueries(store);
    const rssBefore = process.resourceUsage().maxRSS / 1024;
    const times: number[] = [];
    let report: Awaited<ReturnType<typeof buildReport>> | undefined;
    for (let run = 0; run < runs; run++) {
      started = performance.now();
      report = await buildReport(store, { candidate: CANDIDATE, by: ["tenant", "intent"] });
      times.push((performance.now() - started) / 1000);
      process.stderr.write(`${backend}: report ${run + 1}/${runs} in ${times.at(-1)?.toFixed(2)} s\n`);
    }
    times.sort((a, b) => a - b);
    return {
      backend,
      pairs: report?.overall.pairs,
      aa_pairs: report?.noise?.aa_pairs,
      load_s: Number(loadSeconds.toFixed(1)),
      report_median_s: Number((times[Math.floor(times.length / 2)] as number).toFixed(2)),
      report_runs_s: times.map((time) => Number(time.toFixed(2))),
      peak_rss_mb_before_reports: Math.round(rssBefore),
      peak_rss_mb_after_reports: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await store.exec(`DROP DATABASE IF EXISTS ${database}`).catch(() => {});
    await store.close();
  }
}

/** With --trace, prints each query's time and its first lines: where a report spends its time. */
function traceQueries(store: Store): void {
  const query = store.query.bind(store);
  (store as { query: Store["query"] }).query = async <Row>(sql: string) => {
    const started = performance.now();
    const rows = await query<Row>(sql);
    const summary = sql.replace(/\s+/g, " ").slice(0, 110);
    process.stderr.write(`  ${((performance.now() - started) / 1000).toFixed(2)} s  ${summary}\n`);
    return rows;
  };
}

// Run only as a script, so experiments can import generateSql.
if (import.meta.url === `file://${process.argv[1]}`) await main();

async function main(): Promise<void> {
  const results = [];
  for (const backend of values.backends.split(",") as ("chdb" | "clickhouse")[])
    results.push(await bench(backend));
  console.log(`node ${process.version}, ${pairs} pairs + ${Math.floor(pairs / 10)} A/A pairs, ${runs} runs`);
  console.table(results);
  console.log(JSON.stringify({ bench: "report", results }));
}
