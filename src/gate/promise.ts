/**
 * The gate's promise: P(fail | every true value within its limit) <= ALPHA, and for each check
 * P(pass | its true value at or past its limit) <= ALPHA. The fail side of every judged check is
 * bounded at ALPHA / m (Bonferroni over the m guardrail × segment checks judged); the pass side
 * needs no adjustment, since promote requires every check to pass (an intersection–union test).
 */
export const ALPHA = 0.025;
/** Power at which "the effect it can detect" and the segment minimum are stated. */
export const POWER = 0.8;
