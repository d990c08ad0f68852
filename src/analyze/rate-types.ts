/** A rate with its 95% Clopper–Pearson interval. */
export interface Rate {
  readonly count: number;
  readonly total: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

/** A paired binary comparison: both rates, the flips each way, and the exact McNemar p. */
export interface PairedBinary {
  readonly baseline: Rate;
  readonly candidate: Rate;
  /** Pairs that became 1 on the candidate (a new refusal, a new error, newly broken tools). */
  readonly gained: number;
  /** Pairs that became 0 on the candidate. */
  readonly lost: number;
  readonly p_value: number;
  /** Holm-adjusted across the segments of one dimension (equal to p_value for overall). */
  readonly p_adjusted: number;
}
