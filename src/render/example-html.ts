import type { ExampleAnswer, ExampleRow, ExampleStep } from "../analyze/report-types.js";
import { escapeMarkup } from "./escape-markup.js";

/**
 * One divergent pair: both answers (and the error, and who refused) side by side, then both step
 * lists aligned row by row as the diff aligned them: `=` same call, `~` same tool with other
 * arguments (highlighted), `-` baseline only, `+` candidate only. A failed or refusing side
 * usually has no steps, so without the answers such an example would show nothing.
 */
export function exampleBlock(category: string, example: ExampleRow): string {
  // One table, so the baseline and candidate columns of answers and steps line up.
  const steps =
    example.alignment === ""
      ? ""
      : `<tbody><tr><th colspan="3">tool calls</th></tr>${stepRows(example)}</tbody>`;
  return `<div class="example" data-request="${escapeMarkup(example.request_id)}" data-category="${escapeMarkup(category)}"><h3>${escapeMarkup(category)} · <code>${escapeMarkup(example.request_id)}</code></h3>
<p>${escapeMarkup(example.reason)}</p>
<table class="steps"><thead><tr><th></th><th>baseline</th><th>candidate</th></tr></thead>${answerRows(example.baseline_answer, example.candidate_answer)}${steps}</table></div>`;
}

function answerRows(baseline: ExampleAnswer, candidate: ExampleAnswer): string {
  const row = (label: string, cell: (answer: ExampleAnswer) => string) =>
    `<tr><th>${label}</th><td>${cell(baseline)}</td><td>${cell(candidate)}</td></tr>`;
  const rows = [
    row("answer", (answer) =>
      answer.output === null ? '<span class="none">no answer</span>' : escapeMarkup(answer.output),
    ),
  ];
  if (baseline.refusal || candidate.refusal) {
    rows.push(row("refused", (answer) => (answer.refusal ? "<b>refused</b>" : "answered")));
  }
  if (baseline.error !== null || candidate.error !== null) {
    rows.push(
      row("error", (answer) =>
        answer.error === null
          ? '<span class="none">none</span>'
          : `<b>${escapeMarkup(answer.error.type)}</b>: ${escapeMarkup(answer.error.message)}`,
      ),
    );
  }
  return `<tbody class="answers">${rows.join("")}</tbody>`;
}

function stepRows(example: ExampleRow): string {
  const baseline = canonicalOrder(example.baseline_steps);
  const candidate = canonicalOrder(example.candidate_steps);
  let i = 0;
  let j = 0;
  const rows: string[] = [];
  for (const op of example.alignment) {
    const left = op === "+" ? undefined : baseline[i++];
    const right = op === "-" ? undefined : candidate[j++];
    const cls = op === "=" ? "same" : op === "~" ? "changed" : op === "-" ? "removed" : "added";
    rows.push(
      `<tr class="${cls}"><td class="op">${op}</td><td>${stepCell(left)}</td><td>${stepCell(right)}</td></tr>`,
    );
  }
  return rows.join("");
}

function stepCell(step: ExampleStep | undefined): string {
  return step === undefined
    ? ""
    : `turn ${step.turn} · <b>${escapeMarkup(step.name)}</b> <code>${escapeMarkup(JSON.stringify(step.args))}</code>`;
}

/** Within a turn, calls sorted by name then arguments: the order the alignment ops refer to. */
function canonicalOrder(steps: readonly ExampleStep[]): ExampleStep[] {
  return [...steps].sort((a, b) => {
    if (a.turn !== b.turn) return a.turn - b.turn;
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    const x = JSON.stringify(a.args);
    const y = JSON.stringify(b.args);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
