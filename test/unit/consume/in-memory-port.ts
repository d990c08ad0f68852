import type { ConsumerPort, FetchedBatch, TopicOffset } from "../../../src/consume/consumer-port.js";
import type { DeadLetterMessage } from "../../../src/pairing/batch-output.js";
import type { RawMessage } from "../../../src/pairing/recorded-batch.js";

/** A fetched batch the test hands in, with what happened to it. */
export class InMemoryBatch implements FetchedBatch {
  resolved: string | undefined;
  heartbeats = 0;
  stale = false;
  paused = 0;
  readonly commits: TopicOffset[][] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly messages: readonly RawMessage[],
    private readonly behind = 0,
    private readonly events: string[] = [],
  ) {}

  lag(): number {
    return this.behind;
  }

  resolveOffset(offset: string): void {
    this.resolved = offset;
  }

  async heartbeat(): Promise<void> {
    this.heartbeats++;
  }

  isStale(): boolean {
    return this.stale;
  }

  pause(): () => void {
    this.paused++;
    this.events.push(`pause ${this.topic}/${this.partition}`);
    return () => {
      this.paused--;
      this.events.push(`resume ${this.topic}/${this.partition}`);
    };
  }

  async commit(offsets: readonly TopicOffset[]): Promise<void> {
    this.commits.push([...offsets]);
    this.events.push(`batch-commit ${describe(offsets)}`);
  }
}

/**
 * The consumer port in memory: the test delivers batches (`deliver`), answers fetches (`fetched`)
 * and assigns partitions (`assign`); every call the runner makes is kept in `events`, in order.
 */
export class InMemoryPort implements ConsumerPort {
  readonly events: string[] = [];
  readonly committed: TopicOffset[][] = [];
  readonly deadLetters: DeadLetterMessage[] = [];
  readonly pausedTopics = new Set<string>();
  /** Makes the next commits fail (a broker away). */
  failCommits = false;
  failStop = false;
  private eachBatch: ((batch: FetchedBatch) => Promise<void>) | undefined;
  private assignmentListeners: ((assignment: Record<string, number[]>) => void)[] = [];
  private fetchListeners: (() => void)[] = [];
  concurrency: number | undefined;
  subscribed: readonly string[] = [];

  async connect(): Promise<void> {
    this.events.push("connect");
  }

  async subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    this.subscribed = topics;
    this.events.push(`subscribe ${topics.join(",")}${fromBeginning ? " from beginning" : ""}`);
  }

  async run(concurrency: number, eachBatch: (batch: FetchedBatch) => Promise<void>): Promise<void> {
    this.concurrency = concurrency;
    this.eachBatch = eachBatch;
    this.events.push("run");
  }

  pause(topic: string): void {
    this.pausedTopics.add(topic);
    this.events.push(`pause ${topic}`);
  }

  resume(topic: string): void {
    this.pausedTopics.delete(topic);
    this.events.push(`resume ${topic}`);
  }

  async commitOffsets(offsets: readonly TopicOffset[]): Promise<void> {
    if (this.failCommits) {
      this.events.push(`commit failed ${describe(offsets)}`);
      throw new Error("the group coordinator is not available");
    }
    this.committed.push([...offsets]);
    this.events.push(`commit ${describe(offsets)}`);
  }

  async stop(): Promise<void> {
    this.events.push("stop");
    this.eachBatch = undefined;
    if (this.failStop) throw new Error("stop timed out");
  }

  async disconnect(): Promise<void> {
    this.events.push("disconnect");
  }

  async sendDeadLetters(topic: string, messages: readonly DeadLetterMessage[]): Promise<void> {
    this.deadLetters.push(...messages);
    this.events.push(`dead letters ${topic} ${messages.length}`);
  }

  async disconnectSender(): Promise<void> {
    this.events.push("disconnect sender");
  }

  onAssignment(listener: (assignment: Record<string, number[]>) => void): void {
    this.assignmentListeners.push(listener);
  }

  onFetch(listener: () => void): void {
    this.fetchListeners.push(listener);
  }

  get running(): boolean {
    return this.eachBatch !== undefined;
  }

  /** Hands a batch to the runner, as kafkajs's fetch loop would; resolves when it was handled. */
  deliver(batch: InMemoryBatch): Promise<void> {
    const eachBatch = this.eachBatch;
    if (eachBatch === undefined) throw new Error("deliver before run (or after stop)");
    for (const listener of this.fetchListeners) listener();
    return eachBatch(batch);
  }

  /** A fetch the broker answered with nothing. */
  fetched(): void {
    for (const listener of this.fetchListeners) listener();
  }

  assign(assignment: Record<string, number[]>): void {
    for (const listener of this.assignmentListeners) listener(assignment);
  }

  /** A batch whose events go to this port's log. */
  batch(topic: string, partition: number, messages: readonly RawMessage[], lag = 0): InMemoryBatch {
    return new InMemoryBatch(topic, partition, messages, lag, this.events);
  }
}

function describe(offsets: readonly TopicOffset[]): string {
  return offsets.map(({ topic, partition, offset }) => `${topic}/${partition}@${offset}`).join(",");
}
