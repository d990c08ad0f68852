import { METHODS, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ShadowdiffError } from "../../src/contracts/errors.js";
import type { GateVerdict } from "../../src/gate/verdict.js";
import { createServeServer } from "../../src/serve/server.js";
import { runs } from "./bounded.js";
import { hostileString } from "./hostile.js";
import { type Answer, exchange, type Outcome } from "./raw-http.js";
import {
  chunked,
  MAX_WEBHOOK_BYTES,
  percentEncoded,
  rawRequest,
  routedMethod,
  type ServeRequest,
  serveRequest,
} from "./serve-requests.js";

/** Each request is answered, or its connection closed, within this bound: past it is a hang. */
const ANSWER_MS = 5_000;

/** A release name the store knows: a 400 for an unknown candidate must not list it. */
const SECRET_RELEASE = "internal-release-do-not-list";

type Kind = "unknown" | "promote" | "hold";

/** The verdict function's answer for a candidate, decided by its length, known to the oracle. */
function kindOf(candidate: string): Kind {
  return (["unknown", "promote", "hold"] as const)[candidate.length % 3] as Kind;
}

const release = (id: string) => ({ id, name: null, version: null, model: null });

async function verdictFor(candidate: string, baseline: string | null): Promise<GateVerdict> {
  const kind = kindOf(candidate);
  if (kind === "unknown")
    // As the store's release lookup raises it: the full message lists the releases, the public one does not.
    throw new ShadowdiffError(
      "BAD_USAGE",
      `unknown candidate release '${candidate}' (known: ${SECRET_RELEASE}, b)`,
      {
        publicMessage: `unknown candidate release '${candidate}'`,
      },
    );
  return {
    schema: "shadowdiff.verdict/v1",
    verdict: kind,
    candidate: release(candidate),
    baseline: release(baseline ?? "sha256:base"),
    policy: { source: "gate.yaml", sha256: "0".repeat(64) },
    window: { first: null, last: null },
    pairs: 0,
    mode: "fixed",
    guardrails: [],
  };
}

// The server serve.ts runs, built by the same factory.
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServeServer(verdictFor);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The candidate a Flagger body names, or why it names none (as the route documents it). */
function webhookCandidate(body: Buffer): { candidate: string } | { problem: string } {
  const text = body.toString("utf8");
  if (text.trim() === "") return { problem: "empty body: no metadata" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: "not JSON" };
  }
  const metadata =
    value !== null && typeof value === "object" ? (value as { metadata?: unknown }).metadata : undefined;
  if (metadata === null || typeof metadata !== "object") return { problem: "no metadata object" };
  const { candidate, baseline } = metadata as { candidate?: unknown; baseline?: unknown };
  if (typeof candidate !== "string" || candidate === "") return { problem: "no candidate" };
  if (baseline !== undefined && typeof baseline !== "string") return { problem: "baseline not a string" };
  return { candidate };
}

/** The status a request is due, from the routes' contract (README and serve.ts), and why. */
function due(request: ServeRequest): { status: number; kind?: Kind } {
  const url = new URL(request.target, "http://localhost");
  if (request.method === "GET" && url.pathname === "/healthz") return { status: 200 };
  if (request.method === "GET" && url.pathname === "/verdict") {
    const candidate = url.searchParams.get("candidate");
    if (candidate === null || candidate === "") return { status: 400 };
    const kind = kindOf(candidate);
    return { status: kind === "unknown" ? 400 : 200, kind };
  }
  if (request.method === "POST" && url.pathname === "/flagger") {
    if (request.framing === "declared-oversize") return { status: 413 };
    const named = webhookCandidate(request.body);
    if ("problem" in named) return { status: 400 };
    const kind = kindOf(named.candidate);
    return { status: kind === "unknown" ? 400 : kind === "promote" ? 200 : 412, kind };
  }
  return { status: 404 };
}

function answerOf(outcome: Outcome): Answer {
  if ("noAnswer" in outcome) throw new Error(`no answer: the connection ${outcome.noAnswer}`);
  return outcome.answer;
}

function expectJsonAnswer(answer: Answer, method: string): unknown {
  expect(answer.headers["content-type"]).toBe("application/json");
  if (method === "HEAD") return undefined;
  return JSON.parse(answer.body.toString("utf8")) as unknown;
}

async function expectAlive(): Promise<void> {
  const health = answerOf(
    await exchange(
      port,
      rawRequest({ method: "GET", target: "/healthz", body: Buffer.alloc(0), framing: "length" }),
      ANSWER_MS,
    ),
  );
  expect(health.status).toBe(200);
}

/** Requests the HTTP parser refuses before any route sees them (as text, sent as UTF-8). */
const malformed: fc.Arbitrary<string> = fc.oneof(
  fc
    .stringMatching(/^[A-Z]{1,12}$/)
    .filter((method) => !METHODS.includes(method))
    .map((method) => `${method} /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
  fc.constantFrom(
    "get /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
    "GET /healthz HTTP/1.1\r\n\r\n",
    "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /\u00e9\u00ff HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n",
    "GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n",
    "GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n",
    "POST /flagger HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    "POST /flagger HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "POST /flagger HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked, identity\r\n\r\n0\r\n\r\n",
    "POST /flagger HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "POST /flagger HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n",
    "POST /flagger HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003",
  ),
  // A header name with a character no token may hold (and no line break, which would end it).
  hostileString
    .filter((text) => /[^!#$%&'*+.^_`|~0-9A-Za-z-]/.test(text) && !/[\r\n]/.test(text))
    .map((text) => `GET /healthz HTTP/1.1\r\nHost: x\r\nX-${text}: 1\r\n\r\n`),
  fc.constant(`GET /healthz HTTP/1.1\r\nHost: x\r\nX: ${"a".repeat(20_000)}\r\n\r\n`),
);

describe("serve's routes under hostile requests", () => {
  it("answers every routed request with its due status and a JSON body, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(serveRequest, async (request) => {
        const answer = answerOf(await exchange(port, rawRequest(request), ANSWER_MS));
        const { status, kind } = due(request);
        expect(answer.status).toBe(status);
        const body = expectJsonAnswer(answer, request.method);
        if (body === undefined) return;
        if (kind === "promote" || kind === "hold") expect((body as GateVerdict).verdict).toBe(kind);
        else if (status >= 400) {
          const error = (body as { error?: unknown }).error;
          expect(typeof error === "string" && error !== "").toBe(true);
          expect(error).not.toContain(SECRET_RELEASE);
        } else expect(body).toEqual({ ok: true });
      }),
      runs(1561, 400),
    );
    await expectAlive();
  }, 60_000);

  it("answers requests the HTTP parser refuses with a 4xx and keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(malformed, async (text) => {
        const answer = answerOf(await exchange(port, { head: Buffer.from(text) }, ANSWER_MS));
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        await expectAlive();
      }),
      runs(1562, 100),
    );
  }, 60_000);

  // FINDING: a request-target starting with "//" or "/\" (`GET // HTTP/1.1`) makes `new URL` in
  // route() throw "Invalid URL"; the rejection reaches serve's store-failure handler and the
  // client gets 503 {"error":"Invalid URL"}: a request's mistake answered as an outage.
  it("answers a target that looks like an authority with a 4xx, not a 5xx", async () => {
    const authorityLike = fc
      .tuple(fc.constantFrom("//", "/\\", "///", "//@", "\\\\"), hostileString.map(percentEncoded))
      .map(([start, rest]) => `/${start.slice(1)}${rest}`);
    await fc.assert(
      fc.asyncProperty(authorityLike, routedMethod, async (target, method) => {
        const request: ServeRequest = { method, target, body: Buffer.alloc(0), framing: "length" };
        const answer = answerOf(await exchange(port, rawRequest(request), ANSWER_MS));
        expect(answer.status).toBeLessThan(500);
      }),
      runs(1563, 50),
    );
  });

  // FINDING: a chunked body past the limit (no Content-Length to refuse it by) makes readBody
  // destroy the request, and with it the socket: the client gets a reset, never the 413 the
  // route returns. A proxy or Flagger retrying on a reset sends it again.
  it("answers an oversized chunked body with 413", async () => {
    const oversized = fc.integer({ min: MAX_WEBHOOK_BYTES + 1, max: 4 * MAX_WEBHOOK_BYTES });
    await fc.assert(
      fc.asyncProperty(oversized, async (size) => {
        const head = Buffer.from(
          "POST /flagger HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        const body = chunked(Buffer.alloc(size, 0x20), 16 << 10);
        const answer = answerOf(await exchange(port, { head, body }, ANSWER_MS));
        expect(answer.status).toBe(413);
        expectJsonAnswer(answer, "POST");
      }),
      runs(1564, 10),
    );
    await expectAlive();
  });

  // FINDING: serve installs no 'connect' or 'clientError' handler: a CONNECT request is dropped
  // without a word, and a request the parser refuses gets Node's bare "400 Bad Request" with no
  // JSON body, against "every answer is JSON" (src/serve/routes.ts).
  it("answers every request it receives, CONNECT and malformed ones included, with JSON", async () => {
    const connectRequest = fc.constant("CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n");
    await fc.assert(
      fc.asyncProperty(fc.oneof(connectRequest, malformed), async (text) => {
        const answer = answerOf(await exchange(port, { head: Buffer.from(text) }, ANSWER_MS));
        expect(answer.headers["content-type"]).toBe("application/json");
      }),
      runs(1565, 20),
    );
  });
});
