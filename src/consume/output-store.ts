import { isShadowdiffError } from "../contracts/errors.js";
import type { BatchOutput } from "../pairing/batch-output.js";
import type { PairWriter } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";

export interface OutputStoreOptions {
  readonly writer: PairWriter;
  /** Sends dead letters to the dead-letter topic, acknowledged. */
  readonly sendDeadLetters: (messages: BatchOutput["deadLetters"]) => Promise<void>;
  /** Aborted when the consumer stops: a retry loop then gives up. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called for each failed attempt that will be retried. */
  readonly onRetry: () => void;
  /** The backoff's jitter, in [0, 1). */
  readonly random?: () => number;
}

/** Where a batch's output goes: the dead-letter topic, then the store. */
export class OutputStore {
  private readonly logger: Logger;

  constructor(private readonly options: OutputStoreOptions) {
    this.logger = options.logger.namespace("store");
  }

  /**
   * Hands an output to the dead-letter topic and the store, once. A retry after a partial failure
   * writes the whole again: rows replace by their table's key, so no report changes; dead letters
   * may then arrive twice (the topic is at least once, like the input), each naming its source
   * topic, partition and offset so a reader can drop repeats.
   */
  async write(output: BatchOutput): Promise<void> {
    const { writer } = this.options;
    if (output.deadLetters.length > 0) await this.options.sendDeadLetters(output.deadLetters);
    if (output.releases.length > 0) await writer.writeReleases(output.releases);
    if (output.pairs.rows > 0) await writer.writeEncodedPairs(output.pairs);
    if (output.unpaired.length > 0) await writer.writeUnpaired(output.unpaired);
  }

  /**
   * Writes until the write succeeds. On failure fetching is paused (`pause`), the member keeps
   * heart-beating, and the write is retried with capped exponential backoff and jitter. Returns
   * false if the consumer was asked to stop first: the output is then abandoned uncommitted and
   * its records are redelivered. A failure the store calls permanent is thrown.
   */
  async writeUntilDone(
    output: BatchOutput,
    pause: () => () => void,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const { signal, clock, random = Math.random } = this.options;
    let resume: (() => void) | undefined;
    for (let attempt = 0; ; attempt++) {
      // A stopping consumer still tries once: what it collected is worth storing if it can be.
      if (attempt > 0 && signal.aborted) {
        resume?.();
        return false;
      }
      try {
        await this.write(output);
        resume?.();
        return true;
      } catch (error) {
        // A failure the store calls permanent (a schema mismatch, a rejected query) is not retried
        // for ever: it ends the run, naming the store. Unreachable stores and overloads retry.
        if (isShadowdiffError(error) && !error.retriable) {
          resume?.();
          throw error;
        }
        this.options.onRetry();
        resume ??= pause();
        const backoff = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)) * (0.5 + random() / 2);
        this.logger.info(`write failed, retrying in ${Math.round(backoff)} ms`, error);
        // Cut short by a stop; the loop then gives up (the write was tried at least once).
        await clock.sleep(backoff, { signal });
        await heartbeat().catch((failure: unknown) =>
          this.logger.warn("heartbeat while the store is away failed", failure),
        );
      }
    }
  }
}
