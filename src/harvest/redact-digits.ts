import { cardWindowEnd } from "./redact-card.js";
import { CHAIN_LOOKAHEAD, canStartAt, forEachDigitChain, windowSpan } from "./redact-chain.js";
import { hasPhoneWordBefore, type PhoneContext, phoneWindowEnd } from "./redact-phone.js";

/**
 * Card and phone numbers in a text become `<card>` and `<phone>`; everything else is copied as it
 * was. Each chain is tried from each group where a number may begin; a rule reads at most 19
 * digits (a card) or 17 (a phone with "00"), so the work per group is bounded and the whole is
 * linear in the text.
 */
export function scrubNumbers(text: string, underPhoneKey: boolean): string {
  const parts: string[] = [];
  let copied = 0;
  const context: PhoneContext = {
    labelled: (position) => underPhoneKey || hasPhoneWordBefore(text, position),
  };
  forEachDigitChain(text, (chain, complete) => {
    const starts = complete ? chain.groups.length : chain.groups.length - CHAIN_LOOKAHEAD;
    let from = 0;
    while (from < starts) {
      if (!canStartAt(chain, from)) {
        from++;
        continue;
      }
      const cardEnd = cardWindowEnd(text, chain, from);
      const end = cardEnd ?? phoneWindowEnd(text, chain, from, context);
      if (end === undefined) {
        from++;
        continue;
      }
      const span = windowSpan(chain, from, end);
      parts.push(text.slice(copied, span.start), cardEnd === undefined ? "<phone>" : "<card>");
      copied = span.end;
      from = end + 1;
    }
    return from;
  });
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join("");
}
