import { compileContract, formatSchemaErrors } from "../contracts/ajv.js";
import { type JudgeAnswer, judgeAnswerJsonSchema } from "../contracts/judge.js";

const validateAnswer = compileContract<JudgeAnswer>(judgeAnswerJsonSchema);

export type ParsedAnswer =
  | { readonly ok: true; readonly answer: JudgeAnswer }
  | { readonly ok: false; readonly problem: string };

// A model may wrap its JSON in a ```json fence; that is still its answer, not a guess.
const FENCED = /^```(?:json)?\s*\n([\s\S]*?)\n```$/;

/**
 * The judge's reply as the JSON shape it was asked for, validated with Ajv. Nothing is guessed:
 * prose around the object, a missing field or another value is a problem to repair, not a verdict.
 */
export function parseJudgeAnswer(text: string): ParsedAnswer {
  const trimmed = text.trim();
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: "the reply is not a JSON object" };
  }
  if (!validateAnswer(value)) return { ok: false, problem: formatSchemaErrors(validateAnswer.errors) };
  return { ok: true, answer: value };
}

/** The one-line reason kept with a judgement: newlines folded, at most 300 characters. */
export function oneLine(reason: string): string {
  const line = reason.replace(/\s+/g, " ").trim();
  return line.length <= 300 ? line : `${line.slice(0, 299)}…`;
}

/** The follow-up that asks once more for the shape, naming what was wrong with the reply. */
export function repairRequest(problem: string): string {
  return `Your reply could not be read (${problem}). Reply again with only the JSON object {"preferred": "A" | "B" | "same", "reason": "one line"} and nothing else.`;
}
