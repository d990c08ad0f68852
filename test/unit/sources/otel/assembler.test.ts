import { describe, expect, it } from "vitest";
import { TraceAssembler } from "../../../../src/sources/otel/assembler.js";
import { span } from "./spans.js";

function assembler(options: Partial<ConstructorParameters<typeof TraceAssembler>[0]> = {}) {
  const clock = { now: 0 };
  const built = new TraceAssembler({
    graceMs: 100,
    idleMs: 1_000,
    maxTraces: 10,
    maxSpans: 100,
    now: () => clock.now,
    ...options,
  });
  return { assembler: built, clock };
}

describe("TraceAssembler", () => {
  it("holds a trace's spans from several batches until its root has arrived plus the grace window", () => {
    const { assembler: traces, clock } = assembler();
    traces.add({ spans: [span("a", "2", "1", {})], logs: [] }, { source: "p0", position: 5 });
    clock.now = 10;
    traces.add({ spans: [span("a", "1", null, {})], logs: [] }, { source: "p1", position: 7 });
    clock.now = 109;
    expect(traces.due()).toEqual([]);
    clock.now = 110;
    const [done] = traces.due();
    expect(done?.reason).toBe("complete");
    expect(done?.spans.map((s) => s.spanId.slice(-1))).toEqual(["2", "1"]);
    expect(traces.traces).toBe(0);
    expect(traces.spans).toBe(0);
  });

  it("hands over a trace without a root after the idle window", () => {
    const { assembler: traces, clock } = assembler();
    traces.add({ spans: [span("b", "2", "1", {})], logs: [] });
    clock.now = 999;
    expect(traces.due()).toEqual([]);
    clock.now = 1_000;
    expect(traces.due().map((trace) => trace.reason)).toEqual(["idle"]);
  });

  it("evicts the oldest trace when full, in traces or in spans", () => {
    const { assembler: byTraces } = assembler({ maxTraces: 2 });
    byTraces.add({ spans: [span("1", "1", "9", {}), span("2", "1", "9", {})], logs: [] });
    const evicted = byTraces.add({ spans: [span("3", "1", "9", {})], logs: [] });
    expect(evicted.map((trace) => [trace.traceId.slice(-1), trace.reason])).toEqual([["1", "evicted"]]);
    const { assembler: bySpans } = assembler({ maxSpans: 3 });
    bySpans.add({ spans: [span("1", "1", "9", {}), span("1", "2", "9", {})], logs: [] });
    const [first] = bySpans.add({ spans: [span("2", "1", "9", {}), span("2", "2", "9", {})], logs: [] });
    expect(first?.traceId.slice(-1)).toBe("1");
    expect(bySpans.spans).toBe(2);
  });

  it("says per source the lowest position a held trace still needs", () => {
    const { assembler: traces, clock } = assembler();
    traces.add({ spans: [span("a", "2", "1", {})], logs: [] }, { source: "p0", position: 3 });
    traces.add({ spans: [span("b", "1", null, {})], logs: [] }, { source: "p0", position: 4 });
    traces.add({ spans: [span("a", "3", "1", {})], logs: [] }, { source: "p0", position: 6 });
    expect(traces.lowestHeldPosition("p0")).toBe(3);
    expect(traces.lowestHeldPosition("p1")).toBeUndefined();
    clock.now = 100;
    expect(traces.due().map((trace) => trace.traceId.slice(-1))).toEqual(["b"]);
    expect(traces.lowestHeldPosition("p0")).toBe(3);
    expect(traces.flush().map((trace) => trace.reason)).toEqual(["flushed"]);
    expect(traces.lowestHeldPosition("p0")).toBeUndefined();
  });

  it("joins log records to their trace", () => {
    const { assembler: traces } = assembler();
    traces.add({ spans: [span("a", "1", null, {})], logs: [] });
    traces.add({
      spans: [],
      logs: [
        {
          traceId: "a".padStart(32, "0"),
          spanId: "1".padStart(16, "0"),
          timeNs: 0n,
          eventName: "gen_ai.choice",
          attributes: {},
          body: null,
          resource: {},
        },
      ],
    });
    expect(traces.flush()[0]?.logs).toHaveLength(1);
  });
});
