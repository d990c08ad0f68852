import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildReport } from "../../src/analyze/report.js";
import type { SufficientSegment } from "../../src/analyze/report-types.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import { readPricing } from "../../src/contracts/read-pricing.js";
import { evaluate } from "../../src/gate/evaluate.js";
import type { Policy } from "../../src/gate/policy.js";
import { resolveRules } from "../../src/normalize/resolve-rules.js";
import { DeadLetterFile } from "../../src/pipeline/dead-letter.js";
import { runCaptures } from "../../src/pipeline/run-captures.js";
import { migrate } from "../../src/store/migrate.js";
import { storePairWriter } from "../../src/store/pair-writer.js";
import { BACKENDS, freshStore, removeChdbDirectory } from "../support/stores.js";
import { call, record } from "../unit/records.js";

/**
 * Scores, checks and per-tool rates on captures whose answers are known by construction: 1,000
 * requests; the candidate loses task success on requests 0-99 (10%) and gains it on 100-119 (2%);
 * it escalates to a human on 22% of tasks where the baseline did on 8%; every fifth refund call of
 * the candidate lacks its currency (a check).
 */
const N = 1000;
const baselineSucceeds = (i: number) => (i < 100 || i >= 120 ? i % 5 !== 4 || i < 100 : false);

function capture(side: "baseline" | "candidate", mirror: boolean): ExchangeRecord[] {
  return Array.from({ length: N }, (_, i) => {
    const b = i < 120 ? i < 100 : baselineSucceeds(i);
    // The candidate flips requests 0-99 from success to failure and 100-119 the other way.
    const c = i < 100 ? false : i < 120 ? true : b;
    const success = side === "baseline" ? (mirror ? c : b) : mirror ? b : c;
    const escalates = side === "baseline" ? i % 100 < 8 : i % 100 < 22;
    const refund = i % 2 === 0;
    const steps = [
      ...(refund
        ? [
            call(
              "refund_order",
              side === "candidate" && i % 10 === 0
                ? { order_id: `o-${i}` }
                : { order_id: `o-${i}`, currency: "EUR" },
            ),
          ]
        : []),
      ...(escalates ? [call("escalate_to_human", { reason: "asked" })] : []),
    ];
    const base = record({
      id: `req-${i}`,
      steps,
      output: "done",
      releaseId: side === "baseline" ? "sha256:base" : mirror ? "sha256:mirror" : "sha256:cand",
    });
    return { ...base, response: { ...base.response, scores: { task_success: success } } };
  });
}

const RULES = resolveRules({
  checks: {
    refund_has_currency: {
      when: {
        properties: {
          response: {
            properties: {
              steps: { contains: { properties: { name: { const: "refund_order" } }, required: ["name"] } },
            },
          },
        },
      },
      expect: {
        properties: {
          response: {
            properties: {
              steps: {
                items: {
                  if: { properties: { name: { const: "refund_order" } } },
                  // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword if/then, not a thenable
                  then: { properties: { arguments: { required: ["currency"] } } },
                },
              },
            },
          },
        },
      },
    },
  },
});

async function files(mirror: boolean): Promise<{ baseline: string; candidate: string }> {
  const directory = await mkdtemp(join(tmpdir(), "shadowdiff-directional-"));
  const write = async (name: string, records: ExchangeRecord[]) => {
    const path = join(directory, name);
    await writeFile(path, records.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    return path;
  };
  return {
    baseline: await write("baseline.jsonl", capture("baseline", mirror)),
    candidate: await write("candidate.jsonl", capture("candidate", mirror)),
  };
}

const POLICY: Policy = {
  version: 1,
  min_pairs: 200,
  min_pairs_per_segment: 30,
  guardrails: {
    drift_rate: { max: 0.05, action: "warn" },
    score_delta: { task_success: { min: -0.02 }, refund_has_currency: { min: -0.05 } },
    tool_share_delta: { escalate_to_human: { max: 0.05 } },
  },
};

afterAll(removeChdbDirectory);

describe.each(BACKENDS)("scores, checks and per-tool rates on %s", (backend) => {
  it("counts them exactly and gates on them, in both directions", async () => {
    const { store, dispose } = await freshStore(backend);
    try {
      await migrate(store);
      const pricing = await readPricing();
      for (const mirror of [false, true]) {
        const { baseline, candidate } = await files(mirror);
        await runCaptures({
          source: baseline,
          candidates: [candidate],
          rules: RULES,
          releases: [],
          pricing,
          writer: storePairWriter(store),
          deadLetters: new DeadLetterFile(
            join(await mkdtemp(join(tmpdir(), "shadowdiff-dl-")), "dead.jsonl"),
          ),
        });
      }
      const regressed = await buildReport(store, { candidate: "sha256:cand", baseline: "sha256:base" });
      const overall = regressed.overall as SufficientSegment;
      const success = overall.scores.task_success;
      expect(success).toMatchObject({ source: "record", binary: true, pairs: N, lost: 100, gained: 20 });
      expect(success?.delta.value).toBeCloseTo(-0.08, 12);
      const check = overall.scores.refund_has_currency;
      // 500 refund requests; the candidate drops the currency on every tenth request (all refunds).
      expect(check).toMatchObject({
        source: "check",
        baseline_counts: { pass: 500, fail: 0, na: 500 },
        candidate_counts: { pass: 400, fail: 100, na: 500 },
        pairs: 500,
        lost: 100,
        gained: 0,
      });
      const escalation = overall.tools.escalate_to_human;
      expect(escalation?.share.baseline.count).toBe(80);
      expect(escalation?.share.candidate.count).toBe(220);
      const verdict = evaluate(regressed, POLICY);
      expect(verdict.verdict).toBe("fail");
      const failed = verdict.guardrails.filter((result) => result.status === "fail");
      expect(failed.map((result) => [result.guardrail, result.target])).toEqual([
        ["score_delta", "refund_has_currency"],
        ["score_delta", "task_success"],
        ["tool_share_delta", "escalate_to_human"],
      ]);
      expect(verdict.guardrails.find((result) => result.guardrail === "drift_rate")).toMatchObject({
        action: "warn",
      });

      // The mirror image gains task success on 10% and loses it on 2%: promoted on task success
      // (its escalation and currency changes are the same, so gate only on the score here).
      const mirror = await buildReport(store, { candidate: "sha256:mirror", baseline: "sha256:base" });
      const mirrored = mirror.overall as SufficientSegment;
      expect(mirrored.scores.task_success).toMatchObject({ gained: 100, lost: 20 });
      const onScore = evaluate(mirror, {
        ...POLICY,
        guardrails: {
          drift_rate: { max: 0.05, action: "warn" },
          score_delta: { task_success: { min: -0.02 } },
        },
      });
      expect(onScore.verdict, JSON.stringify(onScore.guardrails)).toBe("promote");
    } finally {
      await dispose();
    }
  });
});
