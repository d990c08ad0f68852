import { createHash } from "node:crypto";
import stableStringify from "fast-json-stable-stringify";

/** What the judge sees of one pair: the request and each side's final answer, as text. */
export interface JudgedTexts {
  readonly request: string;
  readonly baseline: string;
  readonly candidate: string;
}

interface RecordLike {
  readonly request?: {
    readonly messages?: readonly { readonly role?: unknown; readonly content?: unknown }[];
  };
  readonly response?: { readonly output?: unknown; readonly outcome?: unknown; readonly refusal?: unknown };
}

/**
 * The texts of a pair from its two stored records: the conversation as `role: content` lines, and
 * each answer as its final text, followed by the structured outcome it committed to (an
 * `outcome_mismatch` pair differs there), or a note that it refused.
 */
export function judgedTexts(baseline: unknown, candidate: unknown): JudgedTexts {
  const messages = (baseline as RecordLike).request?.messages ?? [];
  return {
    request: messages.map((message) => `${String(message.role)}: ${contentText(message.content)}`).join("\n"),
    baseline: answerText(baseline as RecordLike),
    candidate: answerText(candidate as RecordLike),
  };
}

function answerText(record: RecordLike): string {
  const response = record.response;
  const output = typeof response?.output === "string" ? response.output : "";
  const outcome =
    response?.outcome === null || response?.outcome === undefined
      ? ""
      : `\n\nOutcome committed to: ${stableStringify(response.outcome)}`;
  const refusal = response?.refusal === true ? "\n\n(The agent refused.)" : "";
  return `${output}${outcome}${refusal}`;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((part) => String((part as { text?: unknown }).text ?? "")).join("");
  return stableStringify(content ?? "");
}

/** Which answer is shown first: both orders are asked, so position bias cannot make a verdict. */
export type JudgeOrder = "baseline_first" | "candidate_first";

/** The template with the request and the two answers in the given order (one pass, no re-expansion). */
export function judgePrompt(template: string, texts: JudgedTexts, order: JudgeOrder): string {
  const [first, second] =
    order === "baseline_first" ? [texts.baseline, texts.candidate] : [texts.candidate, texts.baseline];
  const values: Record<string, string> = { request: texts.request, answer_a: first, answer_b: second };
  // One replace over the template: an answer containing `{{answer_b}}` is not expanded again.
  return template.replace(/\{\{(request|answer_a|answer_b)\}\}/g, (_, name: string) => values[name] ?? "");
}

/**
 * The cache key of a judgement: the content hash of (judge release, request, both answers). Two
 * pairs with the same texts (a re-run, another candidate answering the same) share one verdict.
 */
export function judgementCacheKey(judgeRelease: string, texts: JudgedTexts): string {
  const canonical = stableStringify({ judge: judgeRelease, ...texts });
  return `sha256:${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
}
