import type { Consumer, EachBatchPayload, Kafka, Producer } from "kafkajs";
import type { DeadLetterMessage } from "../pairing/batch-output.js";
import { coPartitionedAssigner } from "../sources/kafka/co-partitioned-assigner.js";
import { requireTopics } from "../sources/kafka/require-topics.js";
import type {
  ConsumerPort,
  FetchedBatch,
  KafkaConnection,
  MemberSettings,
  TopicOffset,
} from "./consumer-port.js";

/**
 * The kafkajs side of the consumer port: the only file under src/consume that knows kafkajs.
 * `checks` is a client with fewer retries, so a start-up check fails in seconds.
 */
export function kafkajsConnection(kafka: Kafka, checks: Kafka, brokers: readonly string[]): KafkaConnection {
  return {
    requireTopics: (topics) => requireTopics(checks, brokers, topics),
    consumer: (settings) => new KafkajsConsumerPort(kafka, settings),
  };
}

class KafkajsConsumerPort implements ConsumerPort {
  private readonly consumer: Consumer;
  private readonly producer: Producer;

  constructor(kafka: Kafka, { groupId, coPartitioned }: MemberSettings) {
    this.consumer = kafka.consumer({
      groupId,
      ...(coPartitioned ? { partitionAssigners: [coPartitionedAssigner] } : {}),
      // Bounded in-flight work: at most this much is fetched per partition before it is stored.
      maxBytesPerPartition: 4 << 20,
      // A consumer that died (SIGKILL, lost host) gives up its partitions after this long.
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
      // An idle fetch returns after this long: a stopping consumer waits for the one in flight.
      maxWaitTimeInMs: 1_000,
    });
    this.producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
  }

  async connect(): Promise<void> {
    await Promise.all([this.consumer.connect(), this.producer.connect()]);
  }

  async subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    await this.consumer.subscribe({ topics: [...topics], fromBeginning });
  }

  async run(concurrency: number, eachBatch: (batch: FetchedBatch) => Promise<void>): Promise<void> {
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => eachBatch(fetchedBatch(payload)),
    });
  }

  pause(topic: string): void {
    try {
      this.consumer.pause([{ topic }]);
    } catch {
      // Not running (yet, or any more): there is nothing to pause.
    }
  }

  resume(topic: string): void {
    try {
      this.consumer.resume([{ topic }]);
    } catch {
      // Not running any more.
    }
  }

  commitOffsets(offsets: readonly TopicOffset[]): Promise<void> {
    return this.consumer.commitOffsets([...offsets]);
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }

  async sendDeadLetters(topic: string, messages: readonly DeadLetterMessage[]): Promise<void> {
    await this.producer.send({ topic, acks: -1, messages: [...messages] });
  }

  disconnectSender(): Promise<void> {
    return this.producer.disconnect();
  }

  onAssignment(
    listener: (assignment: Readonly<Record<string, readonly number[] | undefined>>) => void,
  ): void {
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      listener(event.payload.memberAssignment as Record<string, number[] | undefined>);
    });
  }

  onFetch(listener: () => void): void {
    this.consumer.on(this.consumer.events.FETCH, () => listener());
  }
}

function fetchedBatch(payload: EachBatchPayload): FetchedBatch {
  const { batch } = payload;
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: batch.messages,
    lag: () => Number(batch.offsetLag()),
    resolveOffset: payload.resolveOffset,
    heartbeat: payload.heartbeat,
    isStale: payload.isStale,
    pause: payload.pause,
    commit: async (offsets) => {
      await payload.commitOffsetsIfNecessary({ topics: byTopic(offsets) });
    },
  };
}

function byTopic(
  offsets: readonly TopicOffset[],
): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of offsets) {
    const partitions = topics.get(topic) ?? [];
    partitions.push({ partition, offset });
    topics.set(topic, partitions);
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}
