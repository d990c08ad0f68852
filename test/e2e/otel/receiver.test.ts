import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from "../../../src/sources/otel/otlp-messages.js";
import { testReceiver } from "../../support/otel-receiver.js";

/** The receiver answers malformed OTLP as OTLP/HTTP says and keeps serving. */
let harness: Awaited<ReturnType<typeof testReceiver>>;

beforeAll(async () => {
  harness = await testReceiver();
});

afterAll(async () => {
  await harness.receiver.close();
});

function request(spans: readonly Record<string, unknown>[]): Uint8Array {
  return ExportTraceServiceRequest.encode({ resourceSpans: [{ scopeSpans: [{ spans }] }] }).finish();
}

const TRACE = Buffer.from("0102030405060708090a0b0c0d0e0f10", "hex");
const good = {
  traceId: TRACE,
  spanId: Buffer.alloc(8, 7),
  name: "root",
  startTimeUnixNano: "1",
  endTimeUnixNano: "2",
};

async function post(body: Uint8Array | string, headers: Record<string, string>, path = "/v1/traces") {
  const response = await fetch(`${harness.receiver.url}${path}`, { method: "POST", body, headers });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

const PROTOBUF = { "content-type": "application/x-protobuf" };

describe("the OTLP/HTTP receiver", () => {
  it("answers 200 with an empty ExportTraceServiceResponse, gzip or not", async () => {
    const plain = await post(request([good]), PROTOBUF);
    expect(plain.status).toBe(200);
    expect(plain.type).toBe("application/x-protobuf");
    expect(ExportTraceServiceResponse.decode(plain.body)).toEqual(
      ExportTraceServiceResponse.decode(new Uint8Array()),
    );
    const zipped = await post(gzipSync(request([good])), { ...PROTOBUF, "content-encoding": "gzip" });
    expect(zipped.status).toBe(200);
  });

  it("answers partial_success naming the spans that miss ids", async () => {
    const reply = await post(
      request([good, { ...good, spanId: new Uint8Array(0), name: "orphan" }]),
      PROTOBUF,
    );
    expect(reply.status).toBe(200);
    const decoded = ExportTraceServiceResponse.decode(reply.body) as unknown as {
      partialSuccess: { rejectedSpans: { toNumber(): number }; errorMessage: string };
    };
    expect(decoded.partialSuccess.rejectedSpans.toNumber()).toBe(1);
    expect(decoded.partialSuccess.errorMessage).toContain('span has no spanId (span "orphan")');
    const json = await post(
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: "0102030405060708", name: "x" }] }] }],
      }),
      { "content-type": "application/json" },
    );
    expect(JSON.parse(Buffer.from(json.body).toString())).toMatchObject({
      partialSuccess: { rejectedSpans: "1" },
    });
  });

  it("answers 400 for truncated protobuf, 415 for a wrong content type, 413 over the limit, and keeps serving", async () => {
    const bytes = request([good]);
    const truncated = await post(bytes.subarray(0, bytes.length - 3), PROTOBUF);
    expect(truncated.status).toBe(400);
    expect(Buffer.from(truncated.body).toString()).toContain("truncated");
    const wrongType = await post("hello", { "content-type": "text/plain" });
    expect(wrongType.status).toBe(415);
    const badGzip = await post("not gzip", { ...PROTOBUF, "content-encoding": "gzip" });
    expect(badGzip.status).toBe(400);
    const huge = await post(gzipSync(Buffer.alloc(5 << 20)), { ...PROTOBUF, "content-encoding": "gzip" });
    expect(huge.status).toBe(413);
    const elsewhere = await post(bytes, PROTOBUF, "/v1/metrics");
    expect(elsewhere.status).toBe(404);
    const after = await post(request([good]), PROTOBUF);
    expect(after.status).toBe(200);
    expect(harness.receiver.counts.malformed).toBe(2);
  });
});
