/**
 * bench/otel: OTLP spans per second decoded and assembled into complete traces (the issue's
 * measure, target >= 0.5x), and decoded, assembled and mapped into exchange records (the whole
 * front end), each beside bare protobuf decoding of the same messages by the same library
 * (protobufjs, with the OTel generated code), in one run and rotating order; then heap after
 * every N completed traces (it must stay flat).
 *
 *   node --expose-gc --import tsx bench/otel/run.ts [--traces 5000 --rounds 9 --heap-traces 200000]
 *
 * The messages are what the Collector's Kafka exporter writes: one ExportTraceServiceRequest per
 * message, here one span per message (the worst case for assembly), a trace being an agent span,
 * three model calls with gen_ai.input/output.messages and two tool spans.
 */
import { parseArgs } from "node:util";
import { TraceAssembler } from "../../src/sources/otel/assembler.js";
import { decodeOtlp } from "../../src/sources/otel/decode.js";
import { ExportTraceServiceRequest } from "../../src/sources/otel/otlp-messages.js";
import { TraceIngest } from "../../src/sources/otel/trace-ingest.js";

const { values } = parseArgs({
  options: {
    traces: { type: "string", default: "5000" },
    rounds: { type: "string", default: "9" },
    "heap-traces": { type: "string", default: "200000" },
  },
});
const traceCount = Number(values.traces);
const rounds = Number(values.rounds);
const heapTraces = Number(values["heap-traces"]);

const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: value } });
const hex = (n: number, bytes: number) => Buffer.from(n.toString(16).padStart(bytes * 2, "0"), "hex");

/** One trace's messages, root last (an agent span ends after everything below it). */
function traceMessages(n: number): Uint8Array[] {
  const traceId = hex(n + 1, 16);
  const root = hex(1, 8);
  const t0 = 1_700_000_000_000_000_000n + BigInt(n) * 1_000_000_000n;
  const span = (id: number, parent: Buffer | null, attributes: object[], start: number, end: number) =>
    ExportTraceServiceRequest.encode({
      resourceSpans: [
        {
          resource: { attributes: [text("service.name", "support-agent"), text("service.version", "1.4.0")] },
          scopeSpans: [
            {
              scope: { name: "bench", version: "1" },
              spans: [
                {
                  traceId,
                  spanId: hex(id, 8),
                  ...(parent === null ? {} : { parentSpanId: parent }),
                  name: "span",
                  kind: 1,
                  startTimeUnixNano: String(t0 + BigInt(start) * 1_000_000n),
                  endTimeUnixNano: String(t0 + BigInt(end) * 1_000_000n),
                  attributes,
                },
              ],
            },
          ],
        },
      ],
    }).finish();
  const chat = (id: number, start: number, output: object[], reason: string) =>
    span(
      id,
      root,
      [
        text("gen_ai.operation.name", "chat"),
        text("gen_ai.provider.name", "openai"),
        text("gen_ai.response.model", "gpt-4o-2024-08-06"),
        text(
          "gen_ai.input.messages",
          JSON.stringify([
            { role: "user", parts: [{ type: "text", content: `I'm user${n}@example.com, order ORD-${n}` }] },
          ]),
        ),
        text(
          "gen_ai.output.messages",
          JSON.stringify([{ role: "assistant", parts: output, finish_reason: reason }]),
        ),
        int("gen_ai.usage.input_tokens", 120),
        int("gen_ai.usage.output_tokens", 40),
      ],
      start,
      start + 5,
    );
  const tool = (id: number, start: number, name: string, callId: string) =>
    span(
      id,
      root,
      [
        text("gen_ai.operation.name", "execute_tool"),
        text("gen_ai.tool.name", name),
        text("gen_ai.tool.call.id", callId),
        text("gen_ai.tool.call.result", '{"ok":true}'),
      ],
      start,
      start + 1,
    );
  const call = (id: string, name: string) => ({
    type: "tool_call",
    id,
    name,
    arguments: { order_id: `ORD-${n}` },
  });
  return [
    chat(2, 1, [call("c1", "get_order")], "tool_call"),
    tool(3, 7, "get_order", "c1"),
    chat(4, 9, [call("c2", "refund_order")], "tool_call"),
    tool(5, 15, "refund_order", "c2"),
    chat(6, 17, [{ type: "text", content: "Refunded." }], "stop"),
    span(
      1,
      null,
      [text("gen_ai.operation.name", "invoke_agent"), text("shadowdiff.request.id", `req-${n}`)],
      0,
      23,
    ),
  ];
}

const SPANS_PER_TRACE = 6;
const messages = Array.from({ length: traceCount }, (_, n) => traceMessages(n)).flat();

function bareDecode(): number {
  let spans = 0;
  for (const message of messages) spans += ExportTraceServiceRequest.decode(message).resourceSpans.length;
  return spans;
}

/** Decoded into spans and assembled: the number of complete traces handed over. */
function assembleAll(source: readonly Uint8Array[], assembler: TraceAssembler): number {
  let traces = 0;
  for (const message of source) {
    const decoded = decodeOtlp(message, "traces", { source: "bench" });
    if (!decoded.ok) throw decoded.error;
    assembler.add(decoded.batch);
    for (const trace of assembler.due()) {
      if (trace.reason !== "complete") throw new Error(`trace ${trace.traceId} ${trace.reason}`);
      traces++;
    }
  }
  return traces;
}

/** Decoded, assembled and mapped: the number of exchange records made. */
function ingestAll(source: readonly Uint8Array[], ingest: TraceIngest): number {
  let records = 0;
  for (const message of source) {
    const decoded = decodeOtlp(message, "traces", { source: "bench" });
    if (!decoded.ok) throw decoded.error;
    ingest.add(decoded.batch);
    for (const output of ingest.due()) {
      if (output.kind !== "record") throw output.error;
      records++;
    }
  }
  return records;
}

// Handed over as soon as the root has arrived (no grace, never idle): the clock stands still.
const ASSEMBLY = { graceMs: 0, idleMs: 1e12, maxTraces: 10_000, maxSpans: 100_000, now: () => 0 };
const newIngest = () => new TraceIngest(ASSEMBLY, "bench");

const contenders = {
  bare: bareDecode,
  assembled: () => assembleAll(messages, new TraceAssembler(ASSEMBLY)),
  full: () => ingestAll(messages, newIngest()),
} as const;
type Contender = keyof typeof contenders;
const names = Object.keys(contenders) as Contender[];
const rates: Record<Contender, number[]> = { bare: [], assembled: [], full: [] };
for (let round = 0; round < rounds; round++) {
  // Each round starts with the next contender, so none always runs first (or after the same one).
  for (let turn = 0; turn < names.length; turn++) {
    const name = names[(round + turn) % names.length] as Contender;
    const started = process.hrtime.bigint();
    const count = contenders[name]();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const expected = name === "bare" ? traceCount * SPANS_PER_TRACE : traceCount;
    if (count !== expected) throw new Error(`${name}: expected ${expected}, got ${count}`);
    rates[name].push((traceCount * SPANS_PER_TRACE) / seconds);
  }
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
const bare = median(rates.bare);
const assembled = median(rates.assembled);
const full = median(rates.full);
const spansPerSecond = (rate: number) => `${Math.round(rate).toLocaleString("en")} spans/s`;
console.log(`bare protobuf decode (protobufjs):          ${spansPerSecond(bare)}`);
console.log(
  `decode + assemble into complete traces:     ${spansPerSecond(assembled)}, ${(assembled / bare).toFixed(2)}x (target >= 0.5x)`,
);
console.log(
  `decode + assemble + map to records:         ${spansPerSecond(full)}, ${(full / bare).toFixed(2)}x`,
);
console.log(`medians of ${rounds} rounds, ${traceCount} traces (${traceCount * SPANS_PER_TRACE} spans) each`);
console.log(
  JSON.stringify({
    bench: "otel",
    traces: traceCount,
    rounds,
    bare: Math.round(bare),
    assembled: Math.round(assembled),
    full: Math.round(full),
    assembledRatio: Number((assembled / bare).toFixed(3)),
    fullRatio: Number((full / bare).toFixed(3)),
  }),
);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) console.log("heap: run with node --expose-gc to measure");
else {
  const ingest = newIngest();
  const step = heapTraces / 4;
  const sample = messages.slice(0, 1_000 * SPANS_PER_TRACE);
  const heap: string[] = [];
  for (let done = 0; done < heapTraces; done += 1_000) {
    ingestAll(sample, ingest);
    if ((done + 1_000) % step === 0) {
      gc();
      heap.push(
        `${((process.memoryUsage().heapUsed / 1048576) | 0).toString()} MB after ${(done + 1_000).toLocaleString("en")}`,
      );
    }
  }
  console.log(
    `heap used after completed traces: ${heap.join(", ")} (held now: ${ingest.assembler.traces} traces)`,
  );
}
