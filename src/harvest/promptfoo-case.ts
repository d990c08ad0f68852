import type { BehaviourSnapshot, BenchCase } from "./bench-case.js";

/**
 * A harvested case as a promptfoo test case (promptfoo.dev/docs/configuration/test-cases):
 * `description`, `vars`, `assert`, `metadata`.
 *
 * Assertions are made from the reference (baseline) answer, each true of that answer by
 * construction. promptfoo checks the model's text, so an assertion about anything else (the
 * outcome as JSON, the tool calls) fails on the reference itself; and a model-graded one cannot
 * be known to pass, so none is exported (`vars.reference` carries what a user's own
 * `llm-rubric` needs). What is asserted: the identifiers and amounts of the reference's outcome
 * and tool arguments that its answer restates verbatim (`ORD-123769`, `157.99`), each as a whole
 * token. Words (actions, statuses) are paraphrased from run to run, so only values holding a
 * digit count.
 *
 * promptfoo acts on two things when it loads a tests file: an object key `$ref` (dereferenced as
 * a JSON reference: a local file or a URL) anywhere, and a string starting with `file://`
 * outside `vars` (replaced by that file's contents). Traffic can carry either, so neither is
 * left in: such a key is written `<$ref>`, such a string `<file url>`. No var is a top-level
 * string either: promptfoo would load one starting with `file://` and render one as a template.
 */
export interface PromptfooTestCase {
  readonly description: string;
  readonly vars: {
    readonly messages: BenchCase["input"]["messages"];
    readonly reference: { readonly answer: string | null; readonly refused: boolean | null };
  };
  readonly assert: readonly PromptfooAssertion[];
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface PromptfooAssertion {
  readonly type: "regex";
  readonly value: string;
}

const MAX_FACTS = 5;
const MIN_FACT_LENGTH = 3;
// A long value is a payload, not a fact an answer restates; and it bounds the text scans.
const MAX_FACT_LENGTH = 120;
const MAX_CANDIDATES = 200;
// Redaction placeholders (`<email>`, `<card>`, `<redacted>`): no real answer contains them.
const PLACEHOLDER = /<[a-z_]+>/;

export function promptfooCase(
  benchCase: BenchCase,
  metadata: Readonly<Record<string, unknown>>,
): PromptfooTestCase {
  return {
    description: `${benchCase.provenance.category}: ${benchCase.provenance.reason}`,
    vars: {
      messages: inert(benchCase.input.messages, false) as BenchCase["input"]["messages"],
      reference: { answer: benchCase.expected.output, refused: benchCase.expected.refusal },
    },
    assert: referenceAssertions(benchCase.expected),
    metadata: inert(metadata, true) as Record<string, unknown>,
  };
}

function referenceAssertions(expected: BehaviourSnapshot): PromptfooAssertion[] {
  const answer = expected.output;
  if (answer === null || answer === "") return [];
  const assertions: PromptfooAssertion[] = [];
  for (const value of scalarTexts([expected.outcome, ...expected.tool_calls.map((call) => call.arguments)])) {
    if (assertions.length === MAX_FACTS) break;
    if (value.length < MIN_FACT_LENGTH || value.length > MAX_FACT_LENGTH) continue;
    if (!/\d/.test(value) || PLACEHOLDER.test(value) || !answer.includes(value)) continue;
    const pattern = wholeTokenPattern(value);
    // The very test promptfoo's `regex` assertion runs (`new RegExp(value).test(output)`).
    if (new RegExp(pattern).test(answer)) assertions.push({ type: "regex", value: pattern });
  }
  return assertions;
}

/**
 * The value as a regular expression matching it only as a whole token. promptfoo renders an
 * assertion value with Nunjucks first, so no brace is left in it: braces are written `\x7b` and
 * `\x7d` (a backslash before `{` would still leave `{%` and `{#` to open a tag), every other
 * metacharacter is escaped. The leading group keeps a value from starting with `file://` or
 * `package:`, which promptfoo would load instead of matching.
 */
function wholeTokenPattern(value: string): string {
  const escaped = value
    .replace(/[\\^$.*+?()[\]|]/g, "\\$&")
    .replaceAll("{", "\\x7b")
    .replaceAll("}", "\\x7d");
  const before = /^\w/.test(value) ? "(?<!\\w)" : "";
  const after = /\w$/.test(value) ? "(?!\\w)" : "";
  return `(?:${before}${escaped}${after})`;
}

/** Distinct string and number leaves, in document order, walked without recursion (deep JSON). */
function scalarTexts(roots: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const stack: unknown[] = [...roots].reverse();
  while (stack.length > 0 && seen.size < MAX_CANDIDATES) {
    const value = stack.pop();
    if (typeof value === "string") seen.add(value);
    else if (typeof value === "number" && Number.isFinite(value)) seen.add(String(value));
    else if (value !== null && typeof value === "object") {
      const children = Array.isArray(value) ? value : Object.values(value);
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
    }
  }
  return [...seen];
}

/** A copy promptfoo's loader leaves alone (see above), walked without recursion (deep JSON). */
function inert(value: unknown, strings: boolean): unknown {
  const copy = (item: unknown): unknown => {
    if (typeof item === "string") return strings && item.startsWith("file://") ? "<file url>" : item;
    if (item === null || typeof item !== "object") return item;
    return Array.isArray(item) ? new Array(item.length) : {};
  };
  const root = copy(value);
  const pending: [unknown, unknown][] = [[value, root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [source, target] = next;
    if (source === null || typeof source !== "object") continue;
    for (const [key, item] of Object.entries(source)) {
      const child = copy(item);
      (target as Record<string, unknown>)[key === "$ref" ? "<$ref>" : key] = child;
      pending.push([item, child]);
    }
  }
  return root;
}
