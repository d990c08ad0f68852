import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isShadowdiffError } from "../../../src/contracts/errors.js";
import { type AskJudge, askBothWays, type JudgeMessage } from "../../../src/judge/ask-both-ways.js";
import { parseJudgeAnswer } from "../../../src/judge/judge-answer.js";
import { judgedTexts, judgementCacheKey, judgePrompt } from "../../../src/judge/judge-prompt.js";
import { combineOrders } from "../../../src/judge/judge-verdict.js";
import { loadJudge } from "../../../src/judge/load-judge.js";

const answer = (preferred: "A" | "B" | "same", reason = "because") => ({
  kind: "answer" as const,
  answer: { preferred, reason },
});

describe("judge manifest", () => {
  it("loads the fixture judge: a content id, the template read in, default-free categories", async () => {
    const judge = await loadJudge("fixtures/judges/judge.yaml");
    expect(judge.release.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(judge.release.prompt).toContain("{{answer_b}}");
    expect(judge.release.tools).toEqual({});
    expect(judge.categories).toEqual(["text_only", "outcome_mismatch"]);
  });

  async function manifest(text: string): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-judge-"));
    const path = join(directory, "judge.yaml");
    await writeFile(path, text);
    return path;
  }
  const template = "{{request}} {{answer_a}} {{answer_b}}";

  it("defaults to text_only and outcome_mismatch, and refuses a floating model unless allowed", async () => {
    const path = await manifest(
      `name: j\nversion: 1\nmodel: { provider: openai, snapshot: gpt-4o }\nprompt: { text: "${template}" }\n`,
    );
    const refused = await loadJudge(path).catch((error: unknown) => error);
    expect(isShadowdiffError(refused) && refused.code).toBe("BAD_USAGE");
    expect(String((refused as Error).message)).toMatch(/floating alias.*--allow-floating/);
    const allowed = await loadJudge(path, { allowFloating: true });
    expect(allowed.categories).toEqual(["text_only", "outcome_mismatch"]);
  });

  it("says where a manifest is wrong: an unknown category, a template without a placeholder", async () => {
    const badCategory = await manifest(
      `name: j\nversion: 1\nmodel: { provider: openai, snapshot: gpt-4o-2024-08-06 }\nprompt: { text: "${template}" }\ncategories: [identical]\n`,
    );
    const error = (await loadJudge(badCategory).catch((e: unknown) => e)) as Error & { context?: unknown };
    expect(error.message).toContain("/categories/0 must be one of");
    const noAnswerB = await manifest(
      `name: j\nversion: 1\nmodel: { provider: openai, snapshot: gpt-4o-2024-08-06 }\nprompt: { text: "{{request}} {{answer_a}}" }\n`,
    );
    const missing = (await loadJudge(noAnswerB).catch((e: unknown) => e)) as Error;
    expect(missing.message).toMatch(/\/prompt: the judge's template must hold \{\{answer_b\}\}/);
  });
});

describe("the judge's answer", () => {
  it("is JSON of the asked shape, fenced or bare; anything else is a problem, never a guess", () => {
    expect(parseJudgeAnswer('{"preferred":"B","reason":"complete"}')).toEqual({
      ok: true,
      answer: { preferred: "B", reason: "complete" },
    });
    expect(parseJudgeAnswer('```json\n{"preferred":"same","reason":"x"}\n```').ok).toBe(true);
    expect(parseJudgeAnswer('I prefer B. {"preferred":"B","reason":"x"}').ok).toBe(false);
    const wrongValue = parseJudgeAnswer('{"preferred":"b","reason":"x"}');
    expect(wrongValue.ok === false && wrongValue.problem).toMatch(/preferred must be one of/);
  });
});

describe("both orders", () => {
  it("give a verdict only when they agree, in the candidate's terms", () => {
    // Baseline first: B is the candidate. Candidate first: A is.
    expect(combineOrders(answer("B"), answer("A")).verdict).toBe("better");
    expect(combineOrders(answer("A"), answer("B")).verdict).toBe("worse");
    expect(combineOrders(answer("same"), answer("same"))).toMatchObject({
      verdict: "same",
      inconsistent: false,
    });
  });

  it("make a position-biased judge inconsistent: always A, or always B, is never a verdict", () => {
    for (const position of ["A", "B"] as const) {
      expect(combineOrders(answer(position), answer(position))).toMatchObject({
        verdict: "same",
        inconsistent: true,
      });
    }
    expect(combineOrders(answer("B"), answer("same"))).toMatchObject({ verdict: "same", inconsistent: true });
  });

  it("count an unreadable order as unparseable, whatever the other said", () => {
    expect(combineOrders({ kind: "unparseable" }, null).verdict).toBe("unparseable");
    expect(combineOrders(answer("B"), { kind: "unparseable" }).verdict).toBe("unparseable");
  });
});

describe("asking both ways", () => {
  const texts = judgedTexts(
    {
      request: { messages: [{ role: "user", content: "Where is ORD-1?" }] },
      response: { output: "In transit." },
    },
    { response: { output: "It is on its way.", outcome: { status: "in_transit" } } },
  );
  const usage = { input_tokens: 10, output_tokens: 5 };
  const template = "R={{request}}\nA={{answer_a}}\nB={{answer_b}}";

  /** A judge given as plain data: a reply per prompt, decided by which answer sits in position A. */
  const scripted =
    (reply: (prompt: string, messages: readonly JudgeMessage[]) => string): AskJudge =>
    async (messages) => ({ text: reply(messages[0]?.content ?? "", messages), usage });

  it("shows the answers in both positions and keeps the reason", async () => {
    const prompts: string[] = [];
    const judgement = await askBothWays(
      template,
      texts,
      scripted((prompt) => {
        prompts.push(prompt);
        const candidateIsA = prompt.includes("A=It is on its way.");
        return JSON.stringify({ preferred: candidateIsA ? "A" : "B", reason: "names the\nstatus" });
      }),
    );
    expect(prompts[0]).toContain("R=user: Where is ORD-1?\nA=In transit.\nB=It is on its way.");
    expect(prompts[1]).toContain(
      'A=It is on its way.\n\nOutcome committed to: {"status":"in_transit"}\nB=In transit.',
    );
    expect(judgement).toMatchObject({
      verdict: "better",
      inconsistent: false,
      reason: "names the status",
      calls: 2,
    });
    expect(judgement.usage).toEqual({ input_tokens: 20, output_tokens: 10 });
  });

  it("repairs once: a second unreadable reply makes the pair unparseable, and the other order is not asked", async () => {
    let calls = 0;
    const judgement = await askBothWays(
      template,
      texts,
      scripted(() => {
        calls++;
        return "B is better";
      }),
    );
    expect(judgement.verdict).toBe("unparseable");
    expect(calls).toBe(2);
  });

  it("takes the repaired answer when the retry is readable", async () => {
    const judgement = await askBothWays(
      template,
      texts,
      scripted((prompt, messages) => {
        if (messages.length === 1 && prompt.includes("A=In transit.")) return "not json";
        return JSON.stringify({ preferred: prompt.includes("A=In transit.") ? "B" : "A", reason: "r" });
      }),
    );
    expect(judgement).toMatchObject({ verdict: "better", calls: 3 });
  });
});

describe("the cache key", () => {
  it("is a content hash of judge, request and both answers", () => {
    const texts = { request: "q", baseline: "a", candidate: "b" };
    const key = judgementCacheKey("sha256:j1", texts);
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(judgementCacheKey("sha256:j1", { ...texts })).toBe(key);
    expect(judgementCacheKey("sha256:j2", texts)).not.toBe(key);
    expect(judgementCacheKey("sha256:j1", { ...texts, candidate: "c" })).not.toBe(key);
  });

  it("fills the template in one pass: an answer holding a placeholder is not expanded", () => {
    const prompt = judgePrompt(
      "{{answer_a}}|{{answer_b}}",
      { request: "", baseline: "{{answer_b}}", candidate: "x" },
      "baseline_first",
    );
    expect(prompt).toBe("{{answer_b}}|x");
  });
});
