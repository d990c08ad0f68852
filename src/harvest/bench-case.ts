/** A harvested case in the native bench format (one JSON object per line). */
export interface BenchCase {
  /** `sha256:` of the canonical (redacted) input: the dedupe and merge key. */
  readonly id: string;
  readonly input: { readonly messages: readonly { readonly role: string; readonly content: unknown }[] };
  /** What the baseline release did: the reference behaviour. */
  readonly expected: BehaviourSnapshot;
  /** What the candidate did instead. */
  readonly observed: BehaviourSnapshot;
  readonly provenance: {
    readonly request_id: string;
    readonly replica: number;
    readonly baseline_release: string;
    readonly candidate_release: string;
    readonly category: string;
    readonly reason: string;
    readonly ts: string;
    readonly labels: Readonly<Record<string, string>>;
  };
}

export interface BehaviourSnapshot {
  readonly output: string | null;
  readonly outcome: unknown;
  readonly tool_calls: readonly { readonly name: string; readonly arguments: unknown }[];
  readonly refusal: boolean | null;
}
