import { parentPort, workerData } from "node:worker_threads";
import { PairBuilder } from "../pairing/pair-builder.js";
import { PairDiffer } from "../pairing/pair-differ.js";
import { diffRecordedBatch, type RawMessage } from "../pairing/recorded-batch.js";
import { indexPart, RecordedCapture, type SharedCaptureIndex } from "../sources/recorded-capture.js";
import type { DiffReply, DiffRequest, DiffThreadInit, IndexRequest, WorkerMessage } from "./diff-threads.js";

/**
 * A consumer's diff thread: indexes parts of the recorded captures before consuming starts, then
 * diffs batches of raw Kafka messages against them (through the shared index, reading lines with
 * its own descriptor) and returns encoded pair rows, transferring their bytes instead of copying.
 */
const init = workerData as DiffThreadInit;
// Compiled validators do not cross threads: each diff thread compiles the rules once for itself.
const builder = new PairBuilder(new PairDiffer(init.rules, init.releases), init.releases, init.pricing);
let captures: RecordedCapture[] = [];
// A capture that cannot be attached (its file gone) fails every batch with the reason, rather
// than crashing the thread into a restart loop.
let attachError: unknown;
const port = parentPort;
if (port === null) throw new Error("diff-thread-main runs as a worker thread");

port.on("message", (message: WorkerMessage) => {
  if (message.kind === "attach") attach(message.captures);
  else if (message.kind === "index") void index(message);
  else diff(message);
});

async function index(request: IndexRequest): Promise<void> {
  try {
    const part = await indexPart(request.path, request.range);
    const reply: DiffReply = { id: request.id, ok: true, part };
    const transfer = [part.high.buffer, part.low.buffer, part.offsets.buffer, part.lengths.buffer];
    port?.postMessage(reply, transfer as ArrayBuffer[]);
  } catch (error) {
    fail(request.id, error);
  }
}

function attach(indexes: readonly SharedCaptureIndex[]): void {
  for (const capture of captures) capture.close();
  captures = [];
  try {
    captures = indexes.map((index) => RecordedCapture.attach(index));
    attachError = undefined;
  } catch (error) {
    attachError = error;
  }
}

function diff(request: DiffRequest): void {
  if (attachError !== undefined) {
    fail(request.id, attachError);
    return;
  }
  try {
    const output = diffRecordedBatch(
      request.topic,
      request.partition,
      unpack(request),
      captures,
      builder,
      request.version,
    );
    const chunks = output.pairs.chunks.map(
      (chunk) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length),
    );
    const reply: DiffReply = {
      id: request.id,
      ok: true,
      output: { ...output, pairs: { ...output.pairs, chunks } },
    };
    port?.postMessage(
      reply,
      chunks.map((chunk) => chunk.buffer as ArrayBuffer),
    );
  } catch (error) {
    fail(request.id, error);
  }
}

function fail(id: number, error: unknown): void {
  const reply: DiffReply = {
    id,
    ok: false,
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  };
  port?.postMessage(reply);
}

/** The batch's messages as views into the one buffer they arrived in. */
function unpack(request: DiffRequest): RawMessage[] {
  const bytes = Buffer.from(request.bytes);
  const view = (start: number, end: number) => (start < 0 ? null : bytes.subarray(start, end));
  return request.offsets.map((offset, index) => ({
    offset,
    key: view(request.bounds[index * 4] as number, request.bounds[index * 4 + 1] as number),
    value: view(request.bounds[index * 4 + 2] as number, request.bounds[index * 4 + 3] as number),
  }));
}
