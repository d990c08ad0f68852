import type { Usage } from "../contracts/exchange.js";
import { parseJudgeAnswer, repairRequest } from "./judge-answer.js";
import { type JudgedTexts, type JudgeOrder, judgePrompt } from "./judge-prompt.js";
import { type CombinedVerdict, combineOrders, type OrderOutcome } from "./judge-verdict.js";

export interface JudgeMessage {
  readonly role: "user" | "assistant";
  readonly content: string;
}

/** One call to the judge model with a conversation; its reply text and usage. */
export type AskJudge = (
  messages: readonly JudgeMessage[],
) => Promise<{ readonly text: string; readonly usage: Usage }>;

export interface PairJudgement extends CombinedVerdict {
  /** Model calls this pair took (2 orders, plus a repair each where the first reply was unreadable). */
  readonly calls: number;
  readonly usage: Usage;
}

/**
 * Asks the judge about one pair both ways round (baseline first, then candidate first), each
 * order with at most one repair retry, and combines the two. When the first order stays
 * unreadable the second is not asked: the pair is unparseable either way, and the call would be
 * spent for nothing. Provider failures propagate (the caller's breaker and retries decide).
 */
export async function askBothWays(
  template: string,
  texts: JudgedTexts,
  ask: AskJudge,
): Promise<PairJudgement> {
  let calls = 0;
  let usage: Usage = { input_tokens: 0, output_tokens: 0 };
  const askOrder = async (order: JudgeOrder): Promise<OrderOutcome> => {
    const messages: JudgeMessage[] = [{ role: "user", content: judgePrompt(template, texts, order) }];
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await ask(messages);
      calls++;
      usage = {
        input_tokens: usage.input_tokens + reply.usage.input_tokens,
        output_tokens: usage.output_tokens + reply.usage.output_tokens,
      };
      const parsed = parseJudgeAnswer(reply.text);
      if (parsed.ok) return { kind: "answer", answer: parsed.answer };
      messages.push(
        { role: "assistant", content: reply.text },
        { role: "user", content: repairRequest(parsed.problem) },
      );
    }
    return { kind: "unparseable" };
  };
  const baselineFirst = await askOrder("baseline_first");
  const candidateFirst = baselineFirst.kind === "unparseable" ? null : await askOrder("candidate_first");
  return { ...combineOrders(baselineFirst, candidateFirst), calls, usage };
}
