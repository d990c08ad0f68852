import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LangfuseClient } from "@langfuse/client";
import { initDataset } from "braintrust";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BraintrustRecord, LangfuseDatasetItem } from "../../src/harvest/exporters.js";
import { buildHarvestStore, CANDIDATE_A, CANDIDATE_B, harvestCli, jsonLines } from "./exports-store.js";
import { braintrustFixture, type FixtureServer, langfuseFixture } from "./exports-vendor-fixture.js";

/**
 * The Langfuse and Braintrust exports imported as each tool's own client imports them: the real
 * `@langfuse/client` and `braintrust` SDKs, pointed at local FIXTURE servers that keep each
 * vendor's documented upsert semantics. Two harvests into one bench (two candidates), each file
 * imported after each harvest: every case lands exactly once, under a stable id.
 */
let directory: string;
let store: string;
const servers: FixtureServer[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-exports-"));
  store = await buildHarvestStore(directory);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function harvestTwice(format: string, out: string, file: string): Promise<string[][]> {
  const snapshots: string[][] = [];
  for (const candidate of [CANDIDATE_A, CANDIDATE_B]) {
    await harvestCli(store, candidate, ["--limit", "60", "--out", out, "--format", format]);
    snapshots.push((await jsonLines<{ id: string }>(join(out, file))).map((line) => line.id));
  }
  return snapshots;
}

describe("harvested exports import idempotently with each tool's own client", () => {
  it("Langfuse: dataset items upsert by id into the named dataset", async () => {
    const server = await langfuseFixture();
    servers.push(server);
    const out = join(directory, "langfuse-bench");
    const file = join(out, "langfuse-dataset-items.jsonl");
    const langfuse = new LangfuseClient({
      publicKey: "pk-lf-fixture",
      secretKey: "sk-lf-fixture",
      baseUrl: server.url,
    });
    const importFile = async () => {
      const items = await jsonLines<LangfuseDatasetItem>(file);
      // As the README shows: the dataset first (an upsert by name), then each item as exported.
      for (const datasetName of new Set(items.map((item) => item.datasetName)))
        await langfuse.api.datasets.create({ name: datasetName });
      for (const item of items) await langfuse.api.datasetItems.create(item);
      return items;
    };
    await harvestCli(store, CANDIDATE_A, ["--limit", "60", "--out", out, "--format", "langfuse"]);
    const first = await importFile();
    await harvestCli(store, CANDIDATE_B, ["--limit", "60", "--out", out, "--format", "langfuse"]);
    const second = await importFile();
    await importFile();

    expect(first).toHaveLength(60);
    expect(second).toHaveLength(120);
    expect(second.slice(0, 60).map((item) => item.id)).toEqual(first.map((item) => item.id));
    expect([...server.items.keys()].sort()).toEqual(second.map((item) => item.id).sort());
    for (const item of server.items.values()) expect(item.datasetName).toBe("langfuse-bench");
    const posted = server.requests.filter((request) => request.path === "/api/public/dataset-items");
    expect(posted).toHaveLength(60 + 120 + 120);
    for (const request of posted) expect(request.body).toHaveProperty("datasetName", "langfuse-bench");
  });

  it("Braintrust: dataset records inserted with their id replace, never add", async () => {
    const server = await braintrustFixture();
    servers.push(server);
    const out = join(directory, "braintrust-bench");
    const file = join(out, "braintrust-records.jsonl");
    const importFile = async () => {
      const records = await jsonLines<BraintrustRecord>(file);
      const dataset = initDataset({
        project: "support-agent",
        dataset: "shadowdiff-harvest",
        appUrl: server.url,
        apiKey: "bt-fixture",
        forceLogin: true,
      });
      for (const record of records) dataset.insert(record);
      await dataset.flush();
      return records;
    };
    const snapshots: BraintrustRecord[][] = [];
    for (const candidate of [CANDIDATE_A, CANDIDATE_B]) {
      await harvestCli(store, candidate, ["--limit", "60", "--out", out, "--format", "braintrust"]);
      snapshots.push(await importFile());
    }
    await importFile();
    const [first, second] = snapshots as [BraintrustRecord[], BraintrustRecord[]];

    expect(first).toHaveLength(60);
    expect(second).toHaveLength(120);
    expect(second.slice(0, 60).map((record) => record.id)).toEqual(first.map((record) => record.id));
    expect([...server.records.keys()].sort()).toEqual(second.map((record) => record.id).sort());
    const rows = server.requests
      .filter((request) => request.path === "/logs3")
      .flatMap((request) => (request.body as { rows: { id: string }[] }).rows);
    expect(rows).toHaveLength(60 + 120 + 120);
  });

  it("keeps the case ids the native bench gives the same cases", async () => {
    const out = join(directory, "ids");
    const native = await harvestTwice("native", out, "cases.jsonl");
    const langfuse = await harvestTwice("langfuse", out, "langfuse-dataset-items.jsonl");
    const braintrust = await harvestTwice("braintrust", out, "braintrust-records.jsonl");
    expect(langfuse).toEqual(native);
    expect(braintrust).toEqual(native);
  });
});
