import { describe, expect, it } from "vitest";
import { decodeOtlp } from "../../../../src/sources/otel/decode.js";
import { bytesToHex } from "../../../../src/sources/otel/decode-common.js";
import { ExportTraceServiceRequest } from "../../../../src/sources/otel/otlp-messages.js";

const TRACE = "0102030405060708090a0b0c0d0e0f10";
const origin = { source: "kafka:spans/0", line: 12 };

function protobufRequest(spans: readonly Record<string, unknown>[]): Uint8Array {
  return ExportTraceServiceRequest.encode({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "agent" } }] },
        scopeSpans: [{ scope: { name: "s", version: "1" }, spans }],
      },
    ],
  }).finish();
}

const goodSpan = {
  traceId: Buffer.from(TRACE, "hex"),
  spanId: Buffer.from("a1a2a3a4a5a6a7a8", "hex"),
  name: "chat",
  kind: 3,
  startTimeUnixNano: "1700000000123456789",
  endTimeUnixNano: "1700000000223456789",
  attributes: [
    { key: "n", value: { intValue: "9007199254740993" } },
    { key: "list", value: { arrayValue: { values: [{ stringValue: "x" }, { boolValue: true }] } } },
    { key: "map", value: { kvlistValue: { values: [{ key: "k", value: { doubleValue: 1.5 } }] } } },
  ],
  events: [{ name: "gen_ai.choice", timeUnixNano: "1700000000200000000", attributes: [] }],
  status: { code: 2, message: "boom" },
};

describe("decodeOtlp", () => {
  it("reads protobuf and OTLP JSON of the same request into the same spans", () => {
    const fromProtobuf = decodeOtlp(protobufRequest([goodSpan]), "traces", origin);
    const json = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "agent" } }] },
          scopeSpans: [
            {
              scope: { name: "s", version: "1" },
              spans: [
                {
                  ...goodSpan,
                  traceId: TRACE.toUpperCase(),
                  spanId: "a1a2a3a4a5a6a7a8",
                  events: [{ name: "gen_ai.choice", timeUnixNano: "1700000000200000000" }],
                },
              ],
            },
          ],
        },
      ],
    });
    const fromJson = decodeOtlp(Buffer.from(`  \n${json}`), "traces", origin);
    expect(fromProtobuf).toEqual(fromJson);
    if (!fromProtobuf.ok) throw fromProtobuf.error;
    const [decoded] = fromProtobuf.batch.spans;
    expect(decoded).toMatchObject({
      traceId: TRACE,
      spanId: "a1a2a3a4a5a6a7a8",
      parentSpanId: null,
      startNs: 1700000000123456789n,
      attributes: { n: "9007199254740993", list: ["x", true], map: { k: 1.5 } },
      status: { code: 2, message: "boom" },
      resource: { "service.name": "agent" },
      scope: { name: "s", version: "1" },
    });
  });

  it("refuses a truncated protobuf request with a located error", () => {
    const bytes = protobufRequest([goodSpan]);
    const decoded = decodeOtlp(bytes.subarray(0, bytes.length - 5), "traces", origin);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error.code).toBe("INVALID_OTLP");
    expect(decoded.error.message).toMatch(
      /^kafka:spans\/0:12: not an OTLP protobuf ExportTraceServiceRequest \(truncated/,
    );
  });

  it("refuses content that is neither protobuf OTLP nor OTLP JSON", () => {
    const junk = decodeOtlp(Buffer.from("hello, I am not protobuf"), "traces", origin);
    expect(junk.ok || junk.error.message).toMatch(/not an OTLP protobuf/);
    const wrongJson = decodeOtlp(Buffer.from('{"schema":"shadowdiff.exchange/v1"}'), "traces", origin);
    expect(wrongJson.ok || wrongJson.error.message).toMatch(/neither an ExportTraceServiceRequest/);
    const badJson = decodeOtlp(Buffer.from("{not json"), "traces", origin);
    expect(badJson.ok || badJson.error.message).toMatch(/not OTLP JSON/);
  });

  it("rejects spans missing ids, with their path, and keeps the others", () => {
    const noTrace = { ...goodSpan, traceId: new Uint8Array(0), name: "no-trace" };
    const zeroSpan = { ...goodSpan, spanId: new Uint8Array(8), name: "zero-span" };
    const decoded = decodeOtlp(protobufRequest([noTrace, goodSpan, zeroSpan]), "traces", origin);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.batch.spans).toHaveLength(1);
    expect(decoded.rejected.map((error) => error.message)).toEqual([
      'kafka:spans/0:12: span has no traceId (span "no-trace") at /resourceSpans/0/scopeSpans/0/spans/0',
      'kafka:spans/0:12: spanId is all zeros (invalid in OTLP) (span "zero-span") at /resourceSpans/0/scopeSpans/0/spans/2',
    ]);
  });
});

describe("bytesToHex", () => {
  it("gives Buffer's hex for ids of every length, 8 and 16 bytes included", () => {
    // A seeded byte stream (xorshift), so a failure names a reproducible input.
    let state = 0x9e3779b9;
    const nextByte = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    };
    for (let round = 0; round < 2_000; round++) {
      const length = round % 3 === 0 ? 8 : round % 3 === 1 ? 16 : round % 21;
      const bytes = Uint8Array.from({ length }, nextByte);
      expect(bytesToHex(bytes), `bytes ${Array.from(bytes).join(",")}`).toBe(
        Buffer.from(bytes).toString("hex"),
      );
    }
    expect(bytesToHex(new Uint8Array(8).fill(0xff))).toBe("ffffffffffffffff");
    expect(bytesToHex(new Uint8Array(16))).toBe("0".repeat(32));
  });
});
