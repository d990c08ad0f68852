import { afterAll, describe, expect, inject, it } from "vitest";
import { judgeCountsSql } from "../../src/analyze/judge-queries.js";
import type { JudgeVerdict } from "../../src/contracts/judge.js";
import type { JudgementRow } from "../../src/contracts/judgement-row.js";
import { openClickHouseStore } from "../../src/store/clickhouse-store.js";
import { readCachedVerdicts, readUnjudgedPairs, writeJudgements } from "../../src/store/judgements.js";
import { migrate, migrationStatus } from "../../src/store/migrate.js";
import { addColumnsStatement, MIGRATIONS, migrationTableStatement } from "../../src/store/migrations.js";
import { sqlString } from "../../src/store/sql.js";
import { pairRow } from "../support/pair-rows.js";
import { BACKENDS, freshStore, removeChdbDirectory } from "../support/stores.js";

afterAll(removeChdbDirectory);

/**
 * One suite, both backends: every SQL feature the analysis relies on is exercised here on the
 * Debian clickhouse-server and on chDB, so a query that works on one and not the other fails.
 */
describe.each(BACKENDS)("store conformance: %s", (backend) => {
  const withStore = async (
    body: (store: Awaited<ReturnType<typeof freshStore>>["store"]) => Promise<void>,
  ) => {
    const { store, dispose } = await freshStore(backend);
    try {
      await migrate(store);
      await body(store);
    } finally {
      await dispose();
    }
  };

  it("applies migrations once and reports them", async () => {
    await withStore(async (store) => {
      expect(await migrate(store)).toEqual([]);
      const status = await migrationStatus(store);
      expect(status.map((state) => [state.id, state.applied])).toEqual(
        MIGRATIONS.map((migration) => [migration.id, true]),
      );
    });
  });

  it("finishes a migration that stopped half way: adds only the columns still missing", async () => {
    const { store, dispose } = await freshStore(backend);
    try {
      const [tables, columns] = MIGRATIONS;
      if (tables === undefined || columns === undefined) throw new Error("expected two migrations");
      await store.exec(migrationTableStatement(store.database, { kind: "single" }));
      for (const step of tables.steps(store.database, { kind: "single" })) {
        if (step.kind === "sql") await store.exec(step.sql);
      }
      await store.exec(
        `INSERT INTO ${store.database}.schema_migrations (id, name, applied_at) VALUES (1, 'x', now())`,
      );
      const [addStep] = columns.steps(store.database, { kind: "single" });
      if (addStep?.kind !== "add-columns") throw new Error("expected an add-columns step");
      await store.exec(addColumnsStatement(addStep, addStep.columns.slice(0, 3)));
      // Migration 2 is finished, and every later one applied after it.
      expect((await migrate(store)).map((state) => state.id)).toEqual(
        MIGRATIONS.slice(1).map((migration) => migration.id),
      );
      const present = await store.query<{ name: string }>(
        `SELECT name FROM system.columns WHERE database = ${sqlString(store.database)} AND table = 'pairs'`,
      );
      const names = new Set(present.map((row) => row.name));
      expect(addStep.columns.filter(([name]) => !names.has(name))).toEqual([]);
    } finally {
      await dispose();
    }
  });

  it("writing the same pairs twice counts them once", async () => {
    await withStore(async (store) => {
      const rows = [
        pairRow({ request_id: "a" }),
        pairRow({ request_id: "b" }),
        pairRow({ request_id: "b", replica: 1 }),
      ];
      await store.insertRows("pairs", rows);
      await store.insertRows("pairs", rows);
      const [count] = await store.query<{ n: string }>(
        `SELECT count() AS n FROM ${store.database}.pairs FINAL`,
      );
      expect(Number(count?.n)).toBe(3);
    });
  });

  it("a re-write of a key replaces it: the highest version wins", async () => {
    await withStore(async (store) => {
      await store.insertRows("pairs", [pairRow({ category: "identical", version: 1 })]);
      await store.insertRows("pairs", [
        pairRow({ category: "args_drift", paths: ["/steps/x/arguments/y"], version: 2 }),
      ]);
      const rows = await store.query<{ category: string }>(
        `SELECT category FROM ${store.database}.pairs FINAL`,
      );
      expect(rows).toEqual([{ category: "args_drift" }]);
    });
  });

  it("judgements: unjudged pairs by (request, replica) NOT IN, the cache by key, counts per segment, replace by key", async () => {
    await withStore(async (store) => {
      const pairs = ["a", "b", "c"].map((id) =>
        pairRow({ request_id: id, category: "text_only", raw: `{"baseline":{},"candidate":{"id":"${id}"}}` }),
      );
      await store.insertRows("pairs", [...pairs, pairRow({ request_id: "d", category: "identical" })]);
      const judgement = (requestId: string, verdict: JudgeVerdict, version: number): JudgementRow => ({
        candidate_release: "sha256:cand",
        baseline_release: "sha256:base",
        request_id: requestId,
        replica: 0,
        judge_release: "sha256:judge",
        judge_name: "j",
        judge_version: "1",
        judge_model: "openai/j-2025-01-01",
        ts: 1_763_629_200,
        label_keys: ["tenant"],
        label_values: ["acme"],
        category: "text_only",
        verdict,
        inconsistent: verdict === "same" ? 1 : 0,
        baseline_first: verdict,
        candidate_first: verdict,
        reason: "it's \\ why",
        cache_key: `sha256:${requestId}`,
        cached: 0,
        model_calls: 2,
        input_tokens: 10,
        output_tokens: 5,
        cost: 0,
        priced: 0,
        version,
      });
      await writeJudgements(store, [judgement("a", "worse", 1)]);
      // Written again with a later version: replaced, not added.
      await writeJudgements(store, [judgement("a", "better", 2), judgement("b", "same", 2)]);
      const unjudged = await readUnjudgedPairs(store, {
        candidate: "sha256:cand",
        judgeRelease: "sha256:judge",
        categories: ["text_only", "outcome_mismatch"],
        pageSize: 10,
      });
      expect(unjudged.map((pair) => pair.request_id)).toEqual(["c"]);
      expect(JSON.parse(unjudged[0]?.raw ?? "{}")).toEqual({ baseline: {}, candidate: { id: "c" } });
      const cached = await readCachedVerdicts(store, "sha256:judge", ["sha256:a", "sha256:z"]);
      expect([...cached.entries()]).toEqual([
        [
          "sha256:a",
          {
            verdict: "better",
            inconsistent: 0,
            baseline_first: "better",
            candidate_first: "better",
            reason: "it's \\ why",
          },
        ],
      ]);
      const scope = { database: store.database, candidate: "sha256:cand", baseline: "sha256:base" };
      const counts = await store.query<Record<string, unknown>>(
        judgeCountsSql(scope, "sha256:judge", ["tenant"]),
      );
      expect(
        counts.map((row) => [
          row.dimension,
          row.segment,
          Number(row.better),
          Number(row.same),
          Number(row.inconsistent),
        ]),
      ).toEqual([
        ["", "all", 1, 1, 1],
        ["tenant", "acme", 1, 1, 1],
      ]);
    });
  });

  it("reads segments, path arrays, noise filters, quantiles and LIMIT BY", async () => {
    await withStore(async (store) => {
      await store.insertRows("pairs", [
        pairRow({
          request_id: "a",
          category: "args_drift",
          paths: ["/output", "/steps/t/arguments/x"],
          candidate_latency_ms: 100,
        }),
        pairRow({
          request_id: "b",
          category: "args_drift",
          paths: ["/output"],
          candidate_latency_ms: 200,
          label_values: ["refund", "globex"],
        }),
        pairRow({ request_id: "c", category: "text_only", paths: ["/output"], candidate_latency_ms: 300 }),
      ]);
      const db = store.database;
      const segments = await store.query<{ tenant: string; n: string }>(
        `SELECT label_values[indexOf(label_keys, 'tenant')] AS tenant, count() AS n FROM ${db}.pairs FINAL GROUP BY tenant ORDER BY tenant`,
      );
      expect(segments.map((row) => [row.tenant, Number(row.n)])).toEqual([
        ["acme", 2],
        ["globex", 1],
      ]);

      const paths = await store.query<{ path: string; n: string }>(
        `SELECT path, count() AS n FROM ${db}.pairs FINAL ARRAY JOIN paths AS path GROUP BY path ORDER BY path`,
      );
      expect(paths.map((row) => [row.path, Number(row.n)])).toEqual([
        ["/output", 3],
        ["/steps/t/arguments/x", 1],
      ]);

      const noise = sqlString("/output");
      const [drift] = await store.query<{ n: string }>(
        `SELECT countIf(category = 'args_drift' AND NOT (length(paths) > 0 AND arrayAll(p -> has([${noise}], p), paths))) AS n FROM ${db}.pairs FINAL`,
      );
      expect(Number(drift?.n)).toBe(1);

      const [quantiles] = await store.query<{ q: number[] }>(
        `SELECT quantilesTDigest(0.5, 0.95)(candidate_latency_ms) AS q FROM ${db}.pairs FINAL`,
      );
      expect(quantiles?.q[0]).toBeCloseTo(200, 0);

      const examples = await store.query<{ category: string; request_id: string }>(
        `SELECT category, request_id FROM ${db}.pairs FINAL ORDER BY category, request_id LIMIT 1 BY category`,
      );
      expect(examples).toEqual([
        { category: "args_drift", request_id: "a" },
        { category: "text_only", request_id: "c" },
      ]);
    });
  });

  it("round-trips quotes, backslashes and unicode through literals and inserts", async () => {
    await withStore(async (store) => {
      const tricky = "it's a \\ back'slash — ünïcödé 🚀";
      await store.insertRows("pairs", [pairRow({ reason: tricky })]);
      const rows = await store.query<{ reason: string }>(
        `SELECT reason FROM ${store.database}.pairs FINAL WHERE reason = ${sqlString(tricky)}`,
      );
      expect(rows).toEqual([{ reason: tricky }]);
    });
  });

  it("stores every character an insert must escape, in plain and array columns, unchanged", async () => {
    await withStore(async (store) => {
      // Tabs, newlines and carriage returns end TabSeparated fields and rows; backslashes start
      // escapes; quotes end array items. A raw record may hold any of them (pretty-printed JSON).
      const awkward = [
        "tab\there",
        "line\nbreak\r\n",
        "back\\slash \\t not a tab",
        "it's 'quoted'",
        '{\n  "pretty": "json\\n"\n}',
        "ünïcödé 🚀 \u0001",
        "",
      ];
      const rows = awkward.map((text, index) =>
        pairRow({
          request_id: `r${index}`,
          reason: text,
          raw: text,
          paths: [text, `${text}'`],
          label_keys: ["k"],
          label_values: [text],
          baseline_cost: 1e-7 * (index + 1),
        }),
      );
      await store.insertRows("pairs", rows);
      const stored = await store.query<{
        request_id: string;
        reason: string;
        raw: string;
        paths: string[];
        label_values: string[];
        baseline_cost: number;
      }>(
        `SELECT request_id, reason, raw, paths, label_values, baseline_cost FROM ${store.database}.pairs FINAL ORDER BY request_id`,
      );
      expect(stored).toEqual(
        rows.map((row) => ({
          request_id: row.request_id,
          reason: row.reason,
          raw: row.raw,
          paths: row.paths,
          label_values: row.label_values,
          baseline_cost: row.baseline_cost,
        })),
      );
    });
  });
});

describe("store migrations on the ClickHouse server", () => {
  it("succeed when several processes migrate one fresh database at the same moment", async () => {
    // The members of a consumer group start together and each migrates the store first: every
    // one must come up, whichever of them adds the columns.
    const { store, dispose } = await freshStore("clickhouse");
    const members = await Promise.all(
      [1, 2, 3, 4].map(() => openClickHouseStore({ url: inject("clickhouseUrl"), database: store.database })),
    );
    try {
      const results = await Promise.allSettled(members.map((member) => migrate(member)));
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect((await migrationStatus(store)).every((state) => state.applied)).toBe(true);
    } finally {
      for (const member of members) await member.close();
      await dispose();
    }
  });
});
