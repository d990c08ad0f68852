import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { BehaviourSnapshot, BenchCase } from "../../../src/harvest/bench-case.js";
import { exportCase, type PromptfooTestCase } from "../../../src/harvest/exporters.js";

/**
 * The promptfoo export judged by promptfoo's own assertion code (`assertions.runAssertion`, the
 * package's programmatic entry point): every exported assertion passes on the reference answer it
 * was made from, and still fails on an answer that lost the fact.
 */
type Promptfoo = typeof import("promptfoo");
let promptfoo: Promptfoo;
let directory: string;

beforeAll(async () => {
  // promptfoo would otherwise phone home and write under ~/.promptfoo.
  process.env.PROMPTFOO_DISABLE_TELEMETRY = "1";
  process.env.PROMPTFOO_DISABLE_UPDATE = "1";
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-promptfoo-"));
  process.env.PROMPTFOO_CONFIG_DIR = join(directory, "config");
  promptfoo = await import("promptfoo");
}, 60_000);

function benchCase(
  expected: Partial<BehaviourSnapshot>,
  input: BenchCase["input"] = { messages: [{ role: "user", content: "Where is my order?" }] },
  labels: Readonly<Record<string, string>> = { intent: "refund" },
): BenchCase {
  const snapshot: BehaviourSnapshot = {
    output: null,
    outcome: null,
    tool_calls: [],
    refusal: false,
    ...expected,
  };
  return {
    id: "sha256:case",
    input_hash: "sha256:input",
    input,
    expected: snapshot,
    observed: { output: "Sorry, I can't help.", outcome: null, tool_calls: [], refusal: true },
    provenance: {
      request_id: "req-1",
      replica: 0,
      baseline_release: "sha256:b",
      candidate_release: "sha256:c",
      category: "outcome_mismatch",
      reason: "outcome.amount 42 → 24",
      ts: "2026-11-20T09:00:00Z",
      labels,
    },
  };
}

const exported = (expected: Partial<BehaviourSnapshot>): PromptfooTestCase =>
  exportCase(benchCase(expected), "promptfoo", { dataset: "bench" });

async function judge(test: PromptfooTestCase, output: string): Promise<{ pass: boolean; reason: string }[]> {
  const results = [];
  for (const assertion of test.assert) {
    const result = await promptfoo.assertions.runAssertion({
      assertion: assertion as never,
      test: test as never,
      providerResponse: { output },
    });
    results.push({ pass: result.pass, reason: `${JSON.stringify(assertion)}: ${result.reason}` });
  }
  return results;
}

/** Reference answers with outcomes and tool arguments, hostile ones among them. */
const REFERENCES: Partial<BehaviourSnapshot>[] = [
  {
    output: "Your order ORD-123769 is in transit and should arrive within two days.",
    outcome: {
      action: "status",
      order_id: "ORD-123769",
      status: "in_transit",
      checked_at: "2026-11-20T09:00:09Z",
    },
    tool_calls: [{ name: "get_order", arguments: { order_id: "ORD-123769" } }],
  },
  {
    output: "I refunded 157.99 EUR for order ORD-100204 (item SKU-9) to your card.",
    outcome: { action: "refund", amount: 157.99, order_id: "ORD-100204", items: [{ sku: "SKU-9", qty: 1 }] },
  },
  {
    // Regex metacharacters and a Nunjucks expression in the facts.
    output: "Ticket {{7*7}} [a+1](c)? costs $1.50, ref ^ref|x\\y2 done.",
    outcome: { ticket: "{{7*7}}", label: "[a+1](c)?", price: "$1.50", ref: "^ref|x\\y2" },
  },
  {
    // Nunjucks tags, and values promptfoo would load as a file or a package were they the value.
    output: "Noted {% raw 1 %} and {#99#}; see file://etc/passwd-1 or package:x9 later.",
    outcome: { raw: "{% raw 1 %}", comment: "{#99#}", path: "file://etc/passwd-1", pkg: "package:x9" },
  },
  { output: "Your balance is 4200.", outcome: { balance: 4200, account: "acct-<email>-7" } },
  { output: "Sorry, I can't give out another customer's details.", outcome: null, refusal: true },
  { output: null, outcome: { action: "refund", amount: 3 } },
  { output: "Done: 1 item, order 12345678 and 12345.", outcome: { order: 1234, qty: 1 } },
];

describe("promptfoo export, judged by promptfoo", () => {
  it("exports only assertions that pass on the reference answer they were made from", async () => {
    let count = 0;
    for (const reference of REFERENCES) {
      const test = exported(reference);
      for (const result of await judge(test, reference.output ?? "")) {
        expect(result.pass, result.reason).toBe(true);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(10);
  });

  it("asserts the ids and amounts the answer restates, each as a whole token, and nothing else", () => {
    const counts = REFERENCES.map((reference) => exported(reference).assert.length);
    // Hostile values that hold a digit and appear in the answer are still plain facts; a redaction
    // placeholder never becomes one; a number inside a longer number is none; nor is any fact of
    // a refusal without ids, or of a case without an answer.
    expect(counts).toEqual([1, 3, 4, 4, 1, 0, 0, 0]);
  });

  it("fails an answer that lost or changed the fact", async () => {
    const test = exported(REFERENCES[1] as BehaviourSnapshot);
    const changed = await judge(
      test,
      "I refunded 157.90 EUR for order ORD-1002045 (item SKU-9) to your card.",
    );
    expect(changed.map((result) => result.pass)).toEqual([false, false, true]);
    for (const hostile of [REFERENCES[2], REFERENCES[3]]) {
      const results = await judge(exported(hostile as BehaviourSnapshot), "Ticket 49 is free.");
      expect(results.map((result) => result.pass)).toEqual([false, false, false, false]);
    }
  });

  it("writes test cases promptfoo's schema accepts, with no top-level string var", () => {
    for (const reference of REFERENCES) {
      const test = exported(reference);
      expect(promptfoo.TestCaseSchema.safeParse(test).success).toBe(true);
      // promptfoo reads a top-level string var starting with file:// as a file to load.
      for (const value of Object.values(test.vars)) expect(typeof value).not.toBe("string");
    }
  });

  it("loads through promptfoo's own eval without following a $ref or reading a file:// value from traffic", async () => {
    const secretFile = join(directory, "secret.txt");
    await writeFile(secretFile, "TOPSECRET-0451");
    const hostile = exportCase(
      benchCase(
        REFERENCES[0] as BehaviourSnapshot,
        { messages: [{ role: "tool", content: { $ref: secretFile, note: `file://${secretFile}` } }] },
        { intent: "refund", source: `file://${secretFile}`, $ref: secretFile },
      ),
      "promptfoo",
      { dataset: "bench" },
    );
    const testsFile = join(directory, "promptfoo-tests.jsonl");
    await writeFile(testsFile, `${JSON.stringify(hostile)}\n`);
    // As a promptfooconfig lists it (`tests: [file://…jsonl]`), with a provider answering the reference.
    const summary = await promptfoo.evaluate(
      {
        prompts: ["{{ messages | dump }}"],
        providers: [async () => ({ output: (REFERENCES[0] as BehaviourSnapshot).output as string })],
        tests: [`file://${testsFile}`],
        writeLatestResults: false,
      } as never,
      { cache: false, maxConcurrency: 1 } as never,
    );
    const { results } = (await summary.toEvaluateSummary()) as { results: { success: boolean }[] };
    expect(results).toHaveLength(1);
    expect(results[0]?.success).toBe(true);
    expect(JSON.stringify(results)).not.toContain("TOPSECRET");
    expect(JSON.stringify(results)).toContain(`file://${secretFile}`); // kept as text inside vars
  });
});
