import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildReport, noiseFloorOf } from "../../src/analyze/report.js";
import {
  duplicateFreeSnapshot,
  type PartsSnapshot,
  unchanged,
} from "../../src/analyze/report-consistency.js";
import type { DriftReport, SufficientSegment } from "../../src/analyze/report-types.js";
import type { PricingTable } from "../../src/contracts/pricing.js";
import { readPricing } from "../../src/contracts/read-pricing.js";
import { emptyCategoryCounts } from "../../src/diff/category.js";
import { resolveRules } from "../../src/normalize/resolve-rules.js";
import { DeadLetterFile } from "../../src/pipeline/dead-letter.js";
import { diffCaptures } from "../../src/pipeline/diff-captures.js";
import { runCaptures } from "../../src/pipeline/run-captures.js";
import { loadRelease } from "../../src/release/load.js";
import { migrate } from "../../src/store/migrate.js";
import { storePairWriter } from "../../src/store/pair-writer.js";
import { rebuildRollups } from "../../src/store/rebuild-rollups.js";
import type { Store } from "../../src/store/store.js";
import { BACKENDS, freshStore, removeChdbDirectory } from "../support/stores.js";

const CAPTURES = "fixtures/captures";
type Tally = { pairs: number; baseline: number; candidate: number; gained: number; lost: number };
const releases = await Promise.all(
  ["baseline", "candidate-model-upgrade", "candidate-prompt-tweak"].map((name) =>
    loadRelease(`fixtures/releases/${name}.yaml`),
  ),
);
const upgrade = releases[1]?.id as string;

async function runFixtures(
  store: Store,
  pricing: PricingTable,
  candidates = ["candidate-model-upgrade"],
): Promise<void> {
  const deadLetters = new DeadLetterFile(join(await mkdtemp(join(tmpdir(), "shadowdiff-dl-")), "dead.jsonl"));
  await runCaptures({
    source: `${CAPTURES}/baseline.jsonl`,
    candidates: candidates.map((name) => `${CAPTURES}/${name}.jsonl`),
    noise: `${CAPTURES}/aa.jsonl`,
    rules: resolveRules(undefined),
    releases,
    pricing,
    writer: storePairWriter(store),
    deadLetters,
    batchSize: 250,
  });
}

afterAll(removeChdbDirectory);

describe.each(BACKENDS)("report on %s", (backend) => {
  it("is byte-identical after running the same input twice", async () => {
    const { store, dispose } = await freshStore(backend);
    try {
      await migrate(store);
      const pricing = await readPricing();
      await runFixtures(store, pricing);
      const once = JSON.stringify(await buildReport(store, { candidate: upgrade, by: ["tenant", "intent"] }));
      // Written once, the first report read the pairs without FINAL; the second run writes every
      // pair again (a new part), so the snapshot no longer holds and FINAL collapses the copies.
      const scope = { database: store.database, candidate: upgrade, baseline: releases[0]?.id as string };
      const snapshot = await duplicateFreeSnapshot(store, scope);
      expect(snapshot).not.toBeNull();
      await runFixtures(store, pricing);
      expect(await unchanged(store, snapshot as PartsSnapshot)).toBe(false);
      const twice = JSON.stringify(
        await buildReport(store, { candidate: upgrade, by: ["tenant", "intent"] }),
      );
      expect(twice).toBe(once);
      const report = JSON.parse(once) as DriftReport;
      const overall = report.overall as SufficientSegment;
      expect(overall.pairs).toBe(600);
      // The fixture generator's own counts, independent of the store (default rules: strict).
      const summary = JSON.parse(await readFile(`${CAPTURES}/expected-summary.json`, "utf8")) as Record<
        string,
        {
          strict: Record<string, number>;
          task_success: Tally;
          tools: { escalate_to_human: Tally };
        }
      >;
      const upgradeSummary = summary["candidate-model-upgrade.jsonl"];
      const categories = upgradeSummary?.strict ?? {};
      expect(overall.categories_raw).toEqual({ ...emptyCategoryCounts(), ...categories });
      expect(overall.errors.gained).toBe(categories.candidate_error);
      // The generator's own task_success tally (pairs where neither run failed).
      const expected = upgradeSummary?.task_success;
      expect(overall.scores.task_success).toMatchObject({
        source: "record",
        binary: true,
        pairs: expected?.pairs,
        gained: expected?.gained,
        lost: expected?.lost,
      });
      expect(overall.scores.task_success?.candidate.mean).toBeCloseTo(
        (expected?.candidate ?? 0) / (expected?.pairs ?? 1),
        12,
      );
      // The baseline refuses no question, so every refusal flip is a refusal gained.
      expect(overall.refusal.gained).toBe(categories.refusal_flip);
      // Tasks calling escalate_to_human, per side, as the generator counted them.
      const escalation = overall.tools.escalate_to_human?.share;
      expect({
        pairs: escalation?.baseline.total,
        baseline: escalation?.baseline.count,
        candidate: escalation?.candidate.count,
        gained: escalation?.gained,
        lost: escalation?.lost,
      }).toEqual(upgradeSummary?.tools.escalate_to_human);
      expect(overall.tool_calls.candidate.validity.count).toBeLessThan(overall.tool_calls.candidate.calls);
      expect(report.noise?.aa_pairs).toBe(600);
      expect(report.candidate.name).toBe("support-agent");
      expect(report.candidate.version).toBe("1.5.0-rc.1");
      expect(report.segments.tenant?.map((segment) => segment.pairs).reduce((a, b) => a + b, 0)).toBe(600);
    } finally {
      await dispose();
    }
  });

  it("reads its counters from the rollups only where they cover the scope, with the same report", async () => {
    const { store, dispose } = await freshStore(backend);
    try {
      await migrate(store);
      const pricing = await readPricing();
      await runFixtures(store, pricing);
      const scope = { database: store.database, candidate: upgrade, baseline: releases[0]?.id as string };
      const options = { candidate: upgrade, by: ["tenant", "intent"] };
      // Written once: the rollups counted each pair once and cover the scope.
      expect((await duplicateFreeSnapshot(store, scope))?.rollup).toEqual(expect.any(String));
      const fromRollups = JSON.stringify(await buildReport(store, options));
      // A window off the hour is not in the rollups' grain: the pairs are read, nothing else changes.
      expect((await duplicateFreeSnapshot(store, { ...scope, since: 1 }))?.rollup).toBeNull();
      expect((await duplicateFreeSnapshot(store, { ...scope, since: 3600 }))?.rollup).toEqual(
        expect.any(String),
      );
      // Without the rollups (emptied), the report scans the pairs for the same numbers, byte for byte.
      for (const table of ["pair_rollup_v1", "tool_rollup_v1", "score_rollup_v1"])
        await store.exec(`TRUNCATE TABLE ${store.database}.${table}`);
      expect((await duplicateFreeSnapshot(store, scope))?.rollup).toBeNull();
      const fromScan = JSON.stringify(await buildReport(store, options));
      expect(fromScan).toBe(fromRollups);
      expect((JSON.parse(fromScan) as DriftReport).overall.pairs).toBe(600);
    } finally {
      await dispose();
    }
  });

  it("does not read rollups that counted a pair the table has since collapsed", async () => {
    const { store, dispose } = await freshStore(backend);
    try {
      await migrate(store);
      const pricing = await readPricing();
      await runFixtures(store, pricing);
      const options = { candidate: upgrade, by: ["tenant"] };
      const once = JSON.stringify(await buildReport(store, options));
      const scope = { database: store.database, candidate: upgrade, baseline: releases[0]?.id as string };
      // Every pair written again, then merged away: the table holds each pair once, the rollups
      // counted two, so they no longer cover the scope and the report reads the pairs.
      await runFixtures(store, pricing);
      expect(await duplicateFreeSnapshot(store, scope)).toBeNull();
      await store.exec(`OPTIMIZE TABLE ${store.database}.pairs FINAL`);
      const snapshot = await duplicateFreeSnapshot(store, scope);
      expect(snapshot).not.toBeNull();
      expect(snapshot?.rollup).toBeNull();
      expect(JSON.stringify(await buildReport(store, options))).toBe(once);
      // Recounted from the pairs as stored, the rollups cover the scope again, for the same report.
      await rebuildRollups(store);
      expect((await duplicateFreeSnapshot(store, scope))?.rollup).toEqual(expect.any(String));
      expect(JSON.stringify(await buildReport(store, options))).toBe(once);
    } finally {
      await dispose();
    }
  });

  it("gives the harvest the same noise floor as the report, without building the report", async () => {
    const { store, dispose } = await freshStore(backend);
    try {
      await migrate(store);
      await runFixtures(store, await readPricing(), ["candidate-model-upgrade", "candidate-prompt-tweak"]);
      const floors = [];
      for (const candidate of ["support-agent@1.5.0-rc.1", releases[2]?.id as string]) {
        const floor = await noiseFloorOf(store, { candidate });
        const report = await buildReport(store, { candidate });
        expect(floor.candidate).toEqual(report.candidate);
        expect(floor.baseline).toEqual(report.baseline);
        expect(floor.noisePaths).toEqual(report.noise?.noise_paths);
        floors.push(floor.noisePaths);
      }
      // The prompt tweak's differences are mostly noise: the comparison is not between empty lists.
      expect(floors.some((paths) => paths.length > 0)).toBe(true);
    } finally {
      await dispose();
    }
  });

  it("shows an unpriced model as unpriced, and a small segment as too small", async () => {
    const { store, dispose } = await freshStore(backend);
    try {
      await migrate(store);
      const full = await readPricing();
      const { "openai/gpt-4.1-2025-04-14": _dropped, ...models } = full.models;
      await runFixtures(store, { ...full, models });
      const report = await buildReport(store, {
        candidate: "support-agent@1.5.0-rc.1",
        by: ["intent"],
        minPairs: 50,
      });
      const overall = report.overall as SufficientSegment;
      expect(overall.cost).toEqual({ priced: false, unpriced_models: ["candidate"], unpriced_pairs: 600 });
      const abuse = report.segments.intent?.find((segment) => segment.value === "abuse");
      expect(abuse).toMatchObject({ sufficient: false, pairs: 44, note: "too few pairs to tell (44 < 50)" });
      expect(abuse).not.toHaveProperty("drift");
    } finally {
      await dispose();
    }
  });
});

describe("categories net of noise, everywhere", () => {
  it.each(BACKENDS)("diff and run + report give the same net and raw counts (%s)", async (backend) => {
    const { store, dispose } = await freshStore(backend);
    try {
      await migrate(store);
      await runFixtures(store, await readPricing(), ["candidate-model-upgrade", "candidate-prompt-tweak"]);
      for (const [name, release] of [
        ["candidate-model-upgrade", releases[1]],
        ["candidate-prompt-tweak", releases[2]],
      ] as const) {
        const diffed = await diffCaptures({
          baseline: `${CAPTURES}/baseline.jsonl`,
          candidate: `${CAPTURES}/${name}.jsonl`,
          noise: `${CAPTURES}/aa.jsonl`,
          rules: resolveRules(undefined),
          releases,
        });
        const report = await buildReport(store, { candidate: release?.id as string });
        const overall = report.overall as SufficientSegment;
        expect(overall.categories).toEqual(diffed.categories);
        expect(overall.categories_raw).toEqual(diffed.categories_raw);
        expect(report.noise?.noise_paths).toEqual(diffed.noise_paths.map((verdict) => verdict.path).sort());
        // The same net drift estimate: the report's paired table holds the same requests.
        expect(overall.drift.estimate).toBeCloseTo(diffed.drift.net ?? Number.NaN, 12);
      }
    } finally {
      await dispose();
    }
  });
});

describe("report across backends", () => {
  it("gives the same JSON on chDB and on the ClickHouse server", async () => {
    const reports: string[] = [];
    for (const backend of BACKENDS) {
      const { store, dispose } = await freshStore(backend);
      try {
        await migrate(store);
        await runFixtures(store, await readPricing(), ["candidate-model-upgrade", "candidate-prompt-tweak"]);
        reports.push(JSON.stringify(await buildReport(store, { candidate: upgrade, by: ["tenant"] })));
      } finally {
        await dispose();
      }
    }
    expect(reports[1]).toBe(reports[0]);
  });
});
