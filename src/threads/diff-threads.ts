import { Worker } from "node:worker_threads";
import type { PricingTable } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import type { BatchOutput } from "../pairing/batch-output.js";
import type { RawMessage } from "../pairing/recorded-batch.js";
import type { ByteRange } from "../sources/jsonl-lines.js";
import type { IndexedPart, SharedCaptureIndex } from "../sources/recorded-capture.js";

/** What every diff thread starts from. */
export interface DiffThreadInit {
  readonly rules: DiffRules;
  readonly releases: readonly ResolvedRelease[];
  readonly pricing: PricingTable;
}

/** A batch for a diff thread: the messages packed into one transferable buffer. */
export interface DiffRequest {
  readonly kind: "diff";
  readonly id: number;
  readonly topic: string;
  readonly partition: number;
  readonly version: number;
  readonly bytes: ArrayBuffer;
  /** Per message: key start, key end, value start, value end (−1 for a null key or value). */
  readonly bounds: Int32Array;
  readonly offsets: readonly string[];
}

/** A part of a capture file to index, before consuming starts. */
export interface IndexRequest {
  readonly kind: "index";
  readonly id: number;
  readonly path: string;
  readonly range: ByteRange;
}

/** The finished capture indexes, shared: from now on batches are diffed against them. */
export interface AttachMessage {
  readonly kind: "attach";
  readonly captures: readonly SharedCaptureIndex[];
}

export type WorkerMessage = DiffRequest | IndexRequest | AttachMessage;

export type DiffReply =
  | { readonly id: number; readonly ok: true; readonly output: BatchOutputOnTheWire }
  | { readonly id: number; readonly ok: true; readonly part: IndexedPart }
  | { readonly id: number; readonly ok: false; readonly message: string };

type Answer = Extract<DiffReply, { ok: true }>;

/** A BatchOutput as it crosses threads: Buffers arrive as Uint8Arrays. */
export type BatchOutputOnTheWire = Omit<BatchOutput, "pairs" | "deadLetters"> & {
  readonly pairs: Omit<BatchOutput["pairs"], "chunks"> & { readonly chunks: readonly Uint8Array[] };
  readonly deadLetters: readonly {
    readonly key: Uint8Array | null;
    readonly value: Uint8Array | null;
    readonly headers: Record<string, string>;
  }[];
};

interface Thread {
  worker: Worker;
  readonly pending: Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>;
}

/**
 * Diff threads for `shadowdiff consume`: parsing, diffing and encoding take most of a pair's
 * CPU, and in one thread they left the machine's other cores to the broker and the store. Each
 * batch goes to the thread with the fewest requests in hand; batches of one partition still
 * complete in order, because the consumer hands out one per partition at a time. Before
 * consuming, the same threads index the recorded captures part by part. A thread that dies
 * fails what it had in hand (the consumer retries the batch) and is replaced. No per-thread heap
 * limit is set: tried, a single large allocation past it (one oversized record's JSON.parse)
 * ended the whole process through V8's fatal out-of-memory path, not just the thread.
 */
export class DiffThreads {
  private readonly threads: Thread[] = [];
  private nextId = 0;
  private closed = false;
  private captures: readonly SharedCaptureIndex[] = [];

  constructor(
    count: number,
    private readonly init: DiffThreadInit,
  ) {
    for (let index = 0; index < count; index++) {
      const thread = { pending: new Map() } as Thread;
      this.start(thread);
      this.threads.push(thread);
    }
  }

  get size(): number {
    return this.threads.length;
  }

  async diff(
    topic: string,
    partition: number,
    version: number,
    messages: readonly RawMessage[],
  ): Promise<BatchOutput> {
    const request = pack(this.nextId++, topic, partition, version, messages);
    const answer = await this.send(this.leastBusy(), request, [request.bytes]);
    if (!("output" in answer)) throw new Error("a diff thread answered a batch with an index");
    return fromWire(answer.output);
  }

  /** Indexes parts of a capture file side by side; the parts come back in file order. */
  index(path: string, ranges: readonly ByteRange[]): Promise<IndexedPart[]> {
    return Promise.all(
      ranges.map(async (range, index) => {
        const thread = this.threads[index % this.threads.length] as Thread;
        const answer = await this.send(thread, { kind: "index", id: this.nextId++, path, range }, []);
        if (!("part" in answer)) throw new Error("a diff thread answered an index request with a batch");
        return answer.part;
      }),
    );
  }

  /** Hands every thread (and any started later) the finished capture indexes. */
  attach(captures: readonly SharedCaptureIndex[]): void {
    this.captures = captures;
    for (const thread of this.threads) thread.worker.postMessage(attachMessage(captures));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private leastBusy(): Thread {
    return this.threads.reduce((least, candidate) =>
      candidate.pending.size < least.pending.size ? candidate : least,
    );
  }

  private send(
    thread: Thread,
    request: DiffRequest | IndexRequest,
    transfer: ArrayBuffer[],
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      thread.pending.set(request.id, { resolve, reject });
      thread.worker.postMessage(request, transfer);
    });
  }

  /** Starts (or restarts) the thread's worker; what it has in hand fails if it dies. */
  private start(thread: Thread): void {
    const worker = new Worker(new URL("./diff-thread-main.js", import.meta.url), {
      workerData: this.init,
      // A larger young generation: a batch's parsed records and rows die young, and fewer
      // scavenges promote fewer of them into the old generation.
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
    thread.worker = worker;
    if (this.captures.length > 0) worker.postMessage(attachMessage(this.captures));
    worker.on("message", (reply: DiffReply) => {
      const waiting = thread.pending.get(reply.id);
      if (waiting === undefined) return;
      thread.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply);
      else waiting.reject(new Error(`diff thread failed: ${reply.message}`));
    });
    const fail = (error: Error) => {
      for (const waiting of thread.pending.values()) waiting.reject(error);
      thread.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      fail(new Error(`diff thread exited with code ${code}`));
      if (!this.closed) this.start(thread);
    });
  }
}

function attachMessage(captures: readonly SharedCaptureIndex[]): AttachMessage {
  return { kind: "attach", captures };
}

function pack(
  id: number,
  topic: string,
  partition: number,
  version: number,
  messages: readonly RawMessage[],
): DiffRequest {
  let total = 0;
  for (const message of messages) total += (message.key?.length ?? 0) + (message.value?.length ?? 0);
  const bytes = new Uint8Array(total);
  const bounds = new Int32Array(messages.length * 4).fill(-1);
  let at = 0;
  const put = (buffer: Buffer | null, slot: number) => {
    if (buffer === null) return;
    bytes.set(buffer, at);
    bounds[slot] = at;
    at += buffer.length;
    bounds[slot + 1] = at;
  };
  messages.forEach((message, index) => {
    put(message.key, index * 4);
    put(message.value, index * 4 + 2);
  });
  return {
    kind: "diff",
    id,
    topic,
    partition,
    version,
    bytes: bytes.buffer,
    bounds,
    offsets: messages.map((message) => message.offset),
  };
}

function fromWire(output: BatchOutputOnTheWire): BatchOutput {
  const buffer = (view: Uint8Array | null) =>
    view === null ? null : Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  return {
    ...output,
    pairs: { ...output.pairs, chunks: output.pairs.chunks.map((chunk) => buffer(chunk) as Buffer) },
    deadLetters: output.deadLetters.map((letter) => ({
      ...letter,
      key: buffer(letter.key),
      value: buffer(letter.value),
    })),
  };
}
