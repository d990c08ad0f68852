import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGunzip } from "node:zlib";
import { decodeOtlp, type OtlpSignal } from "../sources/otel/decode.js";
import type { IngestOutput, TraceIngest } from "../sources/otel/trace-ingest.js";
import {
  errorReply,
  type OtlpEncoding,
  type OtlpPath,
  type OtlpReply,
  successReply,
} from "./otlp-responses.js";

export interface ReceiverOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The largest request body accepted, after gunzip (bytes). */
  readonly maxBodyBytes: number;
  readonly ingest: TraceIngest;
  /** Receives each record and dead letter as traces complete; awaited, so a slow sink slows intake. */
  readonly onOutput: (items: readonly IngestOutput[]) => Promise<void>;
  /**
   * Told when onOutput throws (it should not: collect's handles a refused write itself). The
   * chain of outputs goes on after it, so one failure cannot stop every later trace.
   */
  readonly onOutputError: (error: unknown) => void;
  /** How often completed traces are looked for (ms). */
  readonly tickMs: number;
}

export interface OtlpReceiver {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly counts: { requests: number; spans: number; logs: number; rejected: number; malformed: number };
  /** Stops accepting, hands over every trace still held, and resolves when the sink has them. */
  close(): Promise<void>;
}

const SIGNALS: Readonly<Record<OtlpPath, OtlpSignal>> = { "/v1/traces": "traces", "/v1/logs": "logs" };

/**
 * An OTLP/HTTP receiver (`POST /v1/traces`, `POST /v1/logs`; protobuf or JSON; gzip or not),
 * answering as the OTLP/HTTP specification says: 200 with an `Export…ServiceResponse` (and
 * `partial_success` for refused spans), 400 for a body that is not OTLP, 413 over the size limit,
 * 415 for another content type or encoding, 404/405 elsewhere. One bad request never stops it.
 */
export async function startOtlpReceiver(options: ReceiverOptions): Promise<OtlpReceiver> {
  const counts = { requests: 0, spans: 0, logs: 0, rejected: 0, malformed: 0 };
  // Output is chained so records leave in the order traces completed, even across ticks.
  let pending: Promise<void> = Promise.resolve();
  const emit = (items: readonly IngestOutput[]) => {
    if (items.length === 0) return pending;
    pending = pending.then(() => options.onOutput(items)).catch(options.onOutputError);
    return pending;
  };
  const server: Server = createServer((request, response) => {
    handle(request).then(
      (reply) => {
        response.writeHead(reply.status, { "content-type": reply.contentType, ...reply.headers });
        response.end(reply.body);
      },
      (error: unknown) => {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(
          JSON.stringify({ code: 13, message: error instanceof Error ? error.message : String(error) }),
        );
      },
    );
  });

  async function handle(request: IncomingMessage): Promise<OtlpReply> {
    counts.requests++;
    const encoding = encodingOf(request.headers["content-type"]);
    const path = (request.url ?? "").split("?")[0] as OtlpPath;
    const signal = SIGNALS[path];
    if (signal === undefined)
      return drained(
        request,
        errorReply(404, encoding ?? "json", `no OTLP endpoint at ${path}; POST /v1/traces or /v1/logs`),
      );
    if (request.method !== "POST")
      return drained(
        request,
        errorReply(405, encoding ?? "json", `${request.method} ${path}: only POST`, { allow: "POST" }),
      );
    if (encoding === undefined) {
      return drained(
        request,
        errorReply(
          415,
          "json",
          `content-type ${JSON.stringify(request.headers["content-type"] ?? "")} is not application/x-protobuf or application/json`,
        ),
      );
    }
    const contentEncoding = (request.headers["content-encoding"] ?? "identity").toLowerCase();
    if (contentEncoding !== "identity" && contentEncoding !== "gzip")
      return drained(
        request,
        errorReply(415, encoding, `content-encoding ${contentEncoding} is not gzip or identity`),
      );
    const declared = Number(request.headers["content-length"] ?? 0);
    if (declared > options.maxBodyBytes) return drained(request, tooLarge(encoding, options.maxBodyBytes));
    const body = await readBody(request, contentEncoding === "gzip", options.maxBodyBytes);
    if (body === "too-large") return tooLarge(encoding, options.maxBodyBytes);
    if (body === "bad-gzip") {
      counts.malformed++;
      return errorReply(400, encoding, "the body is not valid gzip");
    }
    const decoded = decodeOtlp(body, signal, { source: `POST ${path}` });
    if (!decoded.ok) {
      counts.malformed++;
      return errorReply(400, encoding, decoded.error.message);
    }
    counts.spans += decoded.batch.spans.length;
    counts.logs += decoded.batch.logs.length;
    counts.rejected += decoded.rejected.length;
    await emit(options.ingest.add(decoded.batch));
    const reasons = decoded.rejected.slice(0, 3).map((error) => error.message);
    const more = decoded.rejected.length > 3 ? ` (and ${decoded.rejected.length - 3} more)` : "";
    return successReply(path, encoding, decoded.rejected.length, reasons.join("; ") + more);
  }

  const ticker = setInterval(() => void emit(options.ingest.due()), options.tickMs);
  ticker.unref();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    counts,
    async close() {
      clearInterval(ticker);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await emit(options.ingest.flush());
      await pending;
    },
  };
}

function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return undefined;
}

function tooLarge(encoding: OtlpEncoding, limit: number): OtlpReply {
  return errorReply(413, encoding, `request body over the ${limit}-byte limit (--max-body)`);
}

/** Answers without reading the body; the rest is discarded so the connection stays usable. */
function drained(request: IncomingMessage, reply: OtlpReply): OtlpReply {
  request.resume();
  return reply;
}

/** The body, gunzipped when asked, stopping as soon as it passes the limit (a gzip bomb included). */
async function readBody(
  request: IncomingMessage,
  gzip: boolean,
  limit: number,
): Promise<Uint8Array | "too-large" | "bad-gzip"> {
  const stream = gzip ? request.pipe(createGunzip()) : request;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        request.unpipe();
        request.resume();
        return "too-large";
      }
      chunks.push(chunk);
    }
  } catch {
    request.resume();
    return "bad-gzip";
  }
  return Buffer.concat(chunks);
}
