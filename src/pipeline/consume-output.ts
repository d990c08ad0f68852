import { setTimeout as delay } from "node:timers/promises";
import type { Producer } from "kafkajs";
import { isShadowdiffError } from "../contracts/errors.js";
import type { ConsumeOptions } from "./consume.js";
import type { BatchResult } from "./write-behind.js";

/** What one batch (or several, merged) produced; all of it is acknowledged before the commit. */
export type BatchOutput = Omit<BatchResult, "offsets">;

/**
 * Hands a batch's output to the dead-letter topic and the store. A retry after a partial failure
 * writes the whole again: rows replace by their table's key, so no report changes; dead letters
 * may then arrive twice (the topic is at least once, like the input), each naming its source
 * topic, partition and offset so a reader can drop repeats.
 */
export async function writeOutput(
  options: Pick<ConsumeOptions, "deadLetterTopic" | "writer">,
  producer: Producer,
  output: BatchOutput,
): Promise<void> {
  if (output.deadLetters.length > 0) {
    await producer.send({ topic: options.deadLetterTopic, acks: -1, messages: [...output.deadLetters] });
  }
  if (output.releases.length > 0) await options.writer.writeReleases(output.releases);
  if (output.pairs.rows > 0) await options.writer.writeEncodedPairs(output.pairs);
  if (output.unpaired.length > 0) await options.writer.writeUnpaired(output.unpaired);
}

/**
 * Runs `write` until it succeeds. On failure the partition is paused (no more fetching), the
 * consumer keeps heart-beating, and the write is retried with capped exponential backoff and
 * jitter. Returns false if the consumer was asked to stop first: the batch is then abandoned
 * uncommitted and will be redelivered.
 */
export async function untilDone(
  options: Pick<ConsumeOptions, "signal" | "metrics">,
  pause: () => () => void,
  heartbeat: () => Promise<void>,
  write: () => Promise<void>,
): Promise<boolean> {
  let resume: (() => void) | undefined;
  for (let attempt = 0; ; attempt++) {
    // A stopping consumer still tries once: what it collected is worth storing if it can be.
    if (attempt > 0 && options.signal.aborted) {
      resume?.();
      return false;
    }
    try {
      await write();
      resume?.();
      return true;
    } catch (error) {
      // A failure the store calls permanent (a schema mismatch, a rejected query) is not retried
      // for ever: it ends the run, naming the store. Unreachable stores and overloads retry.
      if (isShadowdiffError(error) && !error.retriable) {
        resume?.();
        throw error;
      }
      options.metrics.storeRetries++;
      resume ??= pause();
      const backoff = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
      // Cut short by a stop; the loop then gives up (the write was tried at least once).
      await delay(backoff, undefined, { signal: options.signal }).catch(() => {});
      await heartbeat().catch(() => {});
    }
  }
}
