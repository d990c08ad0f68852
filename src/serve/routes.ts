import type { IncomingMessage, ServerResponse } from "node:http";
import { isShadowdiffError } from "../contracts/errors.js";
import type { GateVerdict } from "../gate/verdict.js";

/** Webhook bodies are a few hundred bytes; anything near this is not a webhook. */
export const MAX_BODY_BYTES = 64 << 10;

export type VerdictSource = (candidate: string, baseline: string | null) => Promise<GateVerdict>;

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The routes of `shadowdiff serve`. Every answer is JSON; a request's mistake is a 4xx naming it
 * (400 bad body or unknown candidate, 404 route, 413 body too large), never a 500; only a failure
 * to compute (the store) is 5xx.
 */
export async function route(request: IncomingMessage, verdictFor: VerdictSource): Promise<Reply> {
  let url: URL;
  try {
    url = new URL(request.url ?? "/", "http://localhost");
  } catch {
    // `GET //x` reads as an authority and is no URL here: the request's mistake, not an outage.
    return { status: 400, body: { error: "request target is not a path" } };
  }
  if (request.method === "GET" && url.pathname === "/healthz") return { status: 200, body: { ok: true } };
  if (request.method === "GET" && url.pathname === "/verdict") {
    const candidate = url.searchParams.get("candidate");
    if (candidate === null || candidate === "")
      return { status: 400, body: { error: "missing ?candidate=" } };
    return verdictReply(
      () => verdictFor(candidate, url.searchParams.get("baseline")),
      () => 200,
    );
  }
  if (request.method === "POST" && url.pathname === "/flagger") {
    const body = await readBody(request);
    if ("status" in body) return body;
    const metadata = webhookMetadata(body.value);
    if (typeof metadata === "string") return { status: 400, body: { error: metadata } };
    return verdictReply(
      () => verdictFor(metadata.candidate, metadata.baseline),
      (verdict) => (verdict.verdict === "promote" ? 200 : 412),
    );
  }
  return { status: 404, body: { error: `no route ${request.method} ${url.pathname}` } };
}

export function send(response: ServerResponse, reply: Reply): void {
  if (reply.status === 413) discardRest(response.req);
  response.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
}

/** How long a refused body is read and dropped before the connection is cut. */
const DISCARD_LIMIT_MS = 10_000;

/**
 * A refused body is read and dropped, not kept: closing the connection while the client still
 * sends resets it, and the client sees a broken pipe instead of the 413 (seen: `fetch failed:
 * write EPIPE` on one run in six of a 300 MB post). Reading costs no memory; a client that sends
 * for longer than the limit is cut off.
 */
function discardRest(request: IncomingMessage): void {
  if (request.readableEnded) return;
  const cut = setTimeout(() => request.socket.destroy(), DISCARD_LIMIT_MS);
  cut.unref();
  request.once("end", () => clearTimeout(cut));
  request.once("close", () => clearTimeout(cut));
  request.resume();
}

async function verdictReply(
  compute: () => Promise<GateVerdict>,
  statusOf: (verdict: GateVerdict) => number,
): Promise<Reply> {
  try {
    const verdict = await compute();
    return { status: statusOf(verdict), body: verdict };
  } catch (error) {
    if (isShadowdiffError(error) && error.code === "BAD_USAGE") {
      // The store's release list is not for whoever can reach this port.
      return { status: 400, body: { error: error.publicMessage } };
    }
    throw error;
  }
}

/** The body as JSON, or the reply that refuses it; reading stops at MAX_BODY_BYTES. */
async function readBody(request: IncomingMessage): Promise<{ value: unknown } | Reply> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      // Answer first; the rest is read and dropped (send): destroying the request now would reset
      // the socket and the client would never see the 413 (a retrying proxy would send it all again).
      return tooLarge();
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { status: 400, body: { error: `body is not JSON: ${(error as Error).message.slice(0, 120)}` } };
  }
}

function tooLarge(): Reply {
  return {
    status: 413,
    body: { error: `body larger than ${MAX_BODY_BYTES} bytes; a webhook body is a few hundred` },
  };
}

/** Flagger sends `{name, namespace, phase, metadata: {…}}`; the candidate is named in metadata. */
function webhookMetadata(body: unknown): { candidate: string; baseline: string | null } | string {
  const metadata =
    body !== null && typeof body === "object" ? (body as { metadata?: unknown }).metadata : undefined;
  if (metadata === null || typeof metadata !== "object")
    return "Flagger webhook body needs metadata.candidate";
  const { candidate, baseline } = metadata as { candidate?: unknown; baseline?: unknown };
  if (typeof candidate !== "string" || candidate === "")
    return "Flagger webhook metadata needs 'candidate' (a string)";
  if (baseline !== undefined && typeof baseline !== "string") return "metadata.baseline must be a string";
  return { candidate, baseline: baseline ?? null };
}
