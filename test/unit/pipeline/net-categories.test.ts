import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExchangeRecord } from "../../../src/contracts/exchange.js";
import { resolveRules } from "../../../src/normalize/resolve-rules.js";
import { diffCaptures } from "../../../src/pipeline/diff-captures.js";
import { call, record } from "../records.js";

/**
 * A candidate whose arguments differ only in a key the A/A run varies just as often (a request
 * timestamp), and which rewords its answer: every such pair is `text_only` net of noise, counted
 * exactly; raw, they are `args_drift`. A real argument change on one request in ten stays
 * `args_drift`.
 */
const N = 300;
const stamp = (i: number, side: string) => `2026-11-20T09:${String(i % 60).padStart(2, "0")}:00Z#${side}`;

function lookup(i: number, side: string, extra: Record<string, unknown> = {}) {
  return call("lookup_order", { order_id: `o-${i}`, request_ts: stamp(i, side), ...extra });
}

async function capture(directory: string, name: string, records: ExchangeRecord[]): Promise<string> {
  const file = join(directory, name);
  await writeFile(file, records.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
  return file;
}

describe("categories net of noise", () => {
  it("noise keys in arguments plus rewording: all such pairs text_only, counts exact", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-net-"));
    const ids = Array.from({ length: N }, (_, i) => i);
    const baseline = ids.map((i) =>
      record({ id: `req-${i}`, steps: [lookup(i, "b")], output: "Your order ships today." }),
    );
    // The A/A replica: the same request, its own timestamp (noise) on every call, the same words.
    const aa = ids.map((i) =>
      record({ id: `req-${i}`, replica: 1, steps: [lookup(i, "a")], output: "Your order ships today." }),
    );
    // The candidate: its own timestamp too, and a reworded answer; every tenth request also adds a
    // real key, which the A/A run never shows.
    const candidate = ids.map((i) =>
      record({
        id: `req-${i}`,
        releaseId: "sha256:cand",
        steps: [i % 10 === 0 ? lookup(i, "c", { expedite: true }) : lookup(i, "c")],
        output: "It ships today.",
      }),
    );
    const result = await diffCaptures({
      baseline: await capture(directory, "baseline.jsonl", baseline),
      candidate: await capture(directory, "candidate.jsonl", candidate),
      noise: await capture(directory, "aa.jsonl", aa),
      rules: resolveRules(undefined),
    });
    expect(result.categories_raw.args_drift).toBe(N);
    expect(result.noise_paths.map((verdict) => verdict.path)).toEqual([
      "/steps/lookup_order/arguments/request_ts",
    ]);
    expect(result.categories.text_only).toBe(N - N / 10);
    expect(result.categories.args_drift).toBe(N / 10);
    expect(result.noise_only).toBe(N - N / 10);
    // Raw behaviour differs on every pair on both sides: net drift is exactly zero.
    expect(result.drift.net).toBe(0);
  });
});
