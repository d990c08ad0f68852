import { readFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { HandledBatch } from "../../../src/consume/batch-handler.js";
import { ExecutedHandler, type ShadowStage } from "../../../src/consume/executed-handler.js";
import { RecordedHandler } from "../../../src/consume/recorded-handler.js";
import type { ExchangeRecord } from "../../../src/contracts/exchange.js";
import type { PairRow, ReleaseRow } from "../../../src/contracts/pair-row.js";
import { readPricing } from "../../../src/contracts/read-pricing.js";
import { resolveRules } from "../../../src/normalize/resolve-rules.js";
import { PairBuilder } from "../../../src/pairing/pair-builder.js";
import { PairDiffer } from "../../../src/pairing/pair-differ.js";
import type { RawMessage } from "../../../src/pairing/recorded-batch.js";
import { RecordedCapture } from "../../../src/sources/recorded-capture.js";
import { pairRow } from "../../support/pair-rows.js";

const CANDIDATE = "fixtures/captures/candidate-model-upgrade.jsonl";
const baselines = (await readFile("fixtures/captures/baseline.jsonl", "utf8")).split("\n").filter(Boolean);
const pricing = await readPricing();
const capture = await RecordedCapture.open(CANDIDATE);
afterAll(() => capture.close());

const builder = () => new PairBuilder(new PairDiffer(resolveRules(undefined), []), [], pricing);

function batch(texts: readonly string[], heartbeat: () => Promise<void> = async () => {}): HandledBatch {
  const messages: RawMessage[] = texts.map((text, index) => ({
    key: null,
    value: Buffer.from(text),
    offset: String(100 + index),
  }));
  return { topic: "base", partition: 2, messages, heartbeat };
}

describe("the recorded-candidates handler (in-thread)", () => {
  it("pairs each valid record with the capture's record of its key and dead-letters the rest", async () => {
    const handler = new RecordedHandler([capture], builder());
    const output = await handler.handle(batch([...baselines.slice(0, 5), "{broken"]), 7);
    expect(output.pairs.rows).toBe(5);
    expect(output.unpaired).toEqual([]);
    expect(output.deadLetters.map((letter) => letter.headers["shadowdiff-source-offset"])).toEqual(["105"]);
    expect(output.deadLetters[0]?.headers["shadowdiff-source-partition"]).toBe("2");
    // Both releases, once: the next batch registers none again.
    expect(output.releases.map((release) => release.version)).toEqual([7, 7]);
    const again = await handler.handle(batch(baselines.slice(5, 8)), 8);
    expect(again.pairs.rows).toBe(3);
    expect(again.releases).toEqual([]);
  });

  it("counts a baseline record without a recorded partner as unpaired, named after the capture's release", async () => {
    const record = JSON.parse(baselines[0] as string) as ExchangeRecord;
    const orphan = JSON.stringify({ ...record, id: "req-never-recorded" });
    const output = await new RecordedHandler([capture], builder()).handle(batch([orphan]), 1);
    expect(output.pairs.rows).toBe(0);
    expect(output.unpaired.map((row) => [row.side, row.request_id])).toEqual([
      ["baseline", "req-never-recorded"],
    ]);
    expect(output.unpaired[0]?.candidate_release).toBe(capture.release);
  });
});

/** An execute stage in plain data: shadows records whose request id is even, one row each. */
class EvenRequests implements ShadowStage {
  readonly shadowed: string[] = [];
  inFlight = 0;
  mostInFlight = 0;

  selects(record: ExchangeRecord): "yes" | "sampled-out" {
    return Number(record.id.slice(-1)) % 2 === 0 ? "yes" : "sampled-out";
  }

  async shadow(baseline: ExchangeRecord, _text: string, version: number): Promise<PairRow[]> {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    this.shadowed.push(baseline.id);
    return [pairRow({ request_id: baseline.id, candidate_release: "sha256:executed", version })];
  }

  newReleases(version: number): ReleaseRow[] {
    return [
      {
        release_id: "sha256:executed",
        name: "e",
        release_version: "2",
        model: "m",
        manifest: "",
        registered_at: 0,
        version,
      },
    ];
  }
}

describe("the executed-candidates handler", () => {
  it("runs the selected records through the stage, at most `concurrency` at once, heart-beating between chunks", async () => {
    const stage = new EvenRequests();
    let beats = 0;
    const handler = new ExecutedHandler(stage, 2, [], builder());
    const output = await handler.handle(
      batch(baselines.slice(0, 10), async () => {
        beats++;
      }),
      5,
    );
    expect(stage.shadowed).toEqual(["req-000002", "req-000004", "req-000006", "req-000008", "req-000010"]);
    expect(stage.mostInFlight).toBe(2);
    expect(beats).toBe(3);
    expect(output.pairs.rows).toBe(5);
    expect(output.releases.map((release) => release.release_id)).toEqual(["sha256:executed"]);
  });

  it("pairs recorded candidates given beside the executed ones, in one output", async () => {
    const stage = new EvenRequests();
    const output = await new ExecutedHandler(stage, 4, [capture], builder()).handle(
      batch([...baselines.slice(0, 4), "not json"]),
      5,
    );
    // 4 recorded pairs and 2 executed ones; one dead letter.
    expect(output.pairs.rows).toBe(6);
    expect(output.deadLetters).toHaveLength(1);
    expect(output.releases.map((release) => release.release_id)).toHaveLength(3);
  });
});
