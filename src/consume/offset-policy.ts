import type { BatchOutput } from "../pairing/batch-output.js";
import type { Clock } from "./clock.js";
import type { BatchTally } from "./consume-metrics.js";
import type { ConsumerPort, FetchedBatch, TopicOffset } from "./consumer-port.js";
import type { Logger } from "./logger.js";
import type { OutputStore } from "./output-store.js";

/**
 * A batch's output on its way to the store, with what the runner adds for the commit (the
 * offsets it allows once stored) and for the metrics (its tally).
 */
export interface PendingBatch {
  readonly output: BatchOutput;
  readonly offsets: readonly TopicOffset[];
  readonly tally: BatchTally;
}

/**
 * What may be committed, and when: given each handled batch, it stores the output (now or
 * gathered with others) and commits the offsets the store's acknowledgements allow. Two
 * implementations: `WriteBehindPolicy` (commit after acknowledged writes) and `PairJoinPolicy`
 * (never past a record still waiting for its partner).
 */
export interface OffsetPolicy {
  /** How often `tick` runs. */
  readonly tickMs: number;
  /** The group was (re)joined: this member's partitions of the baseline topic. */
  assigned(partitions: readonly number[]): void;
  /** Takes a handled batch; resolves when the runner may fetch on. */
  settle(batch: FetchedBatch, output: BatchOutput, startedAt: number): Promise<void>;
  /** Time-driven work: a write that waited long enough, records whose window passed. */
  tick(): Promise<void>;
  /** Stopping: stores and commits what it holds (the runner bounds how long it waits). */
  drain(): Promise<void>;
}

/** What a policy is given by the runner. */
export interface PolicyContext {
  /** Commits, pauses and resumes. */
  readonly port: ConsumerPort;
  readonly store: OutputStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A batch was stored (and its offsets committed where allowed). */
  readonly stored: (batch: PendingBatch) => void;
  /** Rows stored outside any batch, by `tick`. */
  readonly storedOutsideBatch: (output: BatchOutput) => void;
  /** A failure no retry fixes: the run ends with it. */
  readonly fail: (error: unknown) => void;
}

export type OffsetPolicyFactory = (context: PolicyContext) => OffsetPolicy;
