import type { Kafka } from "kafkajs";
import { ShadowdiffError } from "../../contracts/errors.js";

export interface RequiredTopic {
  readonly name: string;
  /** What the topic is for, in the message: `--topic`, `dead letters (--dead-letter-topic)`. */
  readonly role: string;
}

/**
 * Checks, before a consumer joins its group, that the brokers answer and every topic it reads or
 * writes exists. Without it a missing topic surfaced as a protocol error with a stack, and a
 * missing dead-letter topic (on a broker without auto-creation) stalled the consumer for ever:
 * the batch holding a bad record was retried without end and nothing was stored.
 */
export async function requireTopics(
  kafka: Kafka,
  brokers: readonly string[],
  topics: readonly RequiredTopic[],
): Promise<void> {
  const admin = kafka.admin();
  let existing: Set<string>;
  try {
    await admin.connect();
    existing = new Set(await admin.listTopics());
  } catch (cause) {
    throw new ShadowdiffError(
      "SOURCE_UNAVAILABLE",
      `cannot reach the Kafka brokers ${brokers.join(",")}: ${describe(cause)}`,
      {
        retriable: true,
        context: { source: brokers.join(",") },
        cause,
      },
    );
  } finally {
    await admin.disconnect().catch(() => {});
  }
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length > 0) {
    throw new ShadowdiffError(
      "BAD_USAGE",
      `${missing.map((topic) => `topic '${topic.name}' (${topic.role})`).join(" and ")} ${missing.length === 1 ? "does" : "do"} not exist on ${brokers.join(",")}; create it first (shadowdiff never creates topics a consumer depends on)`,
    );
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
