import type { DeadLetterMessage } from "../pairing/batch-output.js";
import type { RawMessage } from "../pairing/recorded-batch.js";
import type { RequiredTopic } from "../sources/kafka/require-topics.js";

/** A Kafka offset to commit: the next one to read on that topic-partition. */
export interface TopicOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** One fetched batch of one topic-partition, with what a handler and a policy may do about it. */
export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly RawMessage[];
  /** Messages behind the high watermark after this batch. */
  lag(): number;
  /** Moves this member's fetch position past `offset`; committing is separate. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /** The partition was reassigned (or seeked) meanwhile: the batch is its new owner's. */
  isStale(): boolean;
  /** Pauses fetching of this topic-partition; the returned function resumes it. */
  pause(): () => void;
  /** Commits offsets now, from within the batch (pair-join commits batch by batch). */
  commit(offsets: readonly TopicOffset[]): Promise<void>;
}

/**
 * What the consumer runner needs of Kafka, and nothing more: one group member's subscription and
 * fetch loop, its commits, and a producer for dead letters. The kafkajs adapter
 * (`kafkajs-port.ts`) is the one implementation; unit tests give an in-memory one.
 */
export interface ConsumerPort {
  /** Connects the member and the dead-letter producer. */
  connect(): Promise<void>;
  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void>;
  /**
   * Starts the fetch loop and returns: `eachBatch` is called for each batch, at most
   * `concurrency` partitions at a time, one batch per partition at a time. Offsets are never
   * committed automatically.
   */
  run(concurrency: number, eachBatch: (batch: FetchedBatch) => Promise<void>): Promise<void>;
  /** Pauses fetching of a topic; does nothing while the loop is not running. */
  pause(topic: string): void;
  resume(topic: string): void;
  commitOffsets(offsets: readonly TopicOffset[]): Promise<void>;
  /** Ends the fetch loop, waiting for the running batches to finish or notice it. */
  stop(): Promise<void>;
  /** Leaves the group. */
  disconnect(): Promise<void>;
  /** Sends dead letters to `topic`, acknowledged by every in-sync replica. */
  sendDeadLetters(topic: string, messages: readonly DeadLetterMessage[]): Promise<void>;
  disconnectSender(): Promise<void>;
  /** After each (re)join of the group: this member's partitions, by topic. */
  onAssignment(listener: (assignment: Readonly<Record<string, readonly number[] | undefined>>) => void): void;
  /** After each fetch the broker answered (none while it is away or fetching is paused). */
  onFetch(listener: () => void): void;
}

/** What a consumer process needs of a Kafka cluster: topic checks and group members. */
export interface KafkaConnection {
  /** Fails, naming the topic and its role, if the brokers do not answer or a topic is missing. */
  requireTopics(topics: readonly RequiredTopic[]): Promise<void>;
  consumer(settings: MemberSettings): ConsumerPort;
}

export interface MemberSettings {
  readonly groupId: string;
  /** Pair-join: partition p of every subscribed topic goes to one member. */
  readonly coPartitioned: boolean;
}
