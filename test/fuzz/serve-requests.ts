import { METHODS } from "node:http";
import fc from "fast-check";
import { hostileString, jsonText, PROTOTYPE_KEYS } from "./hostile.js";
import type { RawRequest } from "./raw-http.js";

/** Hostile requests for `serve`, each with what it asks for, so an oracle can say what is due. */
export const MAX_WEBHOOK_BYTES = 64 << 10;

export interface ServeRequest {
  readonly method: string;
  /** The request-target exactly as sent. */
  readonly target: string;
  readonly body: Buffer;
  readonly framing: "length" | "chunked" | "declared-oversize";
}

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates included, as U+FFFD). */
export function percentEncoded(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(char) ? char : `%${byte.toString(16).padStart(2, "0").toUpperCase()}`;
  }
  return out;
}

const rawPercent = fc.constantFrom(
  "%",
  "%zz",
  "%ff",
  "%c0%af",
  "%00",
  "%2e%2e",
  "%2F",
  "..",
  ".",
  ";",
  "+",
  "=",
  "&",
);

const pathPart = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom("healthz", "verdict", "flagger", "HEALTHZ", "verdict/", "flagger/x", ""),
  },
  { weight: 2, arbitrary: hostileString.map(percentEncoded) },
  { weight: 1, arbitrary: rawPercent },
);

const queryValue = fc.oneof(
  fc.constantFrom("", "a", "aa", "aaa", "__proto__", "support-agent@1.5.0-rc.1"),
  hostileString.map(percentEncoded),
  rawPercent,
);

const query = fc
  .array(
    fc.tuple(
      fc.constantFrom("candidate", "baseline", "x", "__proto__", "candidate[]"),
      queryValue,
      fc.boolean(),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([key, value, withEquals]) => (withEquals ? `${key}=${value}` : key)).join("&"));

/**
 * Targets the URL parser reads as a path: origin-form that does not begin with "//" or "/\"
 * (those name an authority; see the finding in serve.test.ts), absolute-form, and "*".
 */
export const pathTarget: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        fc.constantFrom("/healthz", "/verdict", "/flagger", "/x/../verdict", "/./flagger", "/%2e%2e/healthz"),
        fc.option(fc.tuple(queryValue, query), { nil: undefined, freq: 5 }),
      )
      .map(([path, search]) => (search === undefined ? path : `${path}?candidate=${search[0]}&${search[1]}`)),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(pathPart, { minLength: 1, maxLength: 3 }), fc.option(query, { nil: undefined }))
      .map(([parts, search]) => `/${parts.join("/")}${search === undefined ? "" : `?${search}`}`)
      .filter((target) => !/^\/[/\\]/.test(target)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("healthz", "verdict", "flagger"), query)
      .map(([path, search]) => `http://evil.example:1/${path}?${search}`),
  },
  { weight: 1, arbitrary: fc.constant("*") },
);

/** Methods the HTTP parser hands to the request handler: every one it knows but CONNECT. */
export const routedMethod = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("GET", "POST") },
  { weight: 1, arbitrary: fc.constantFrom(...METHODS.filter((method) => method !== "CONNECT")) },
);

const INVALID_UTF8 = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80])];

/** A Flagger body naming a candidate (maybe with hostile values), or anything else. */
const webhookBody: fc.Arbitrary<Buffer> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.constantFrom("a", "aa", "aaa", "support-agent@1.5.0-rc.1"), hostileString),
        fc.option(fc.oneof(hostileString, fc.constant("sha256:base")), { nil: undefined }),
        fc.constantFrom(...PROTOTYPE_KEYS, "name", "phase"),
      )
      .map(([candidate, baseline, extra]) =>
        Buffer.from(
          JSON.stringify({
            name: "podinfo",
            namespace: "test",
            phase: "Progressing",
            [extra]: {},
            metadata: baseline === undefined ? { candidate } : { candidate, baseline },
          }),
        ),
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom("metadata", "__proto__", "constructor"),
        jsonText({ maxDepth: 3, maxDeepLeaf: 3_000 }),
      )
      .map(([key, value]) => Buffer.from(`{"${key}":${value}}`)),
  },
  { weight: 1, arbitrary: jsonText({ maxDepth: 3, maxDeepLeaf: 3_000 }).map((text) => Buffer.from(text)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...INVALID_UTF8), fc.constantFrom("", '{"metadata":{"candidate":"a"}}'))
      .map(([invalid, text]) => Buffer.concat([invalid, Buffer.from(text)])),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.alloc(0), Buffer.from("   \r\n\t"), Buffer.from("null")) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: MAX_WEBHOOK_BYTES - 64, max: MAX_WEBHOOK_BYTES }).map((size) => {
      const text = '{"metadata":{"candidate":"a"},"pad":"';
      return Buffer.from(`${text}${"x".repeat(Math.max(0, size - text.length - 2))}"}`);
    }),
  },
);

/** Method and target: mostly a route's own, so the routes' logic is reached, else any pair. */
const methodAndTarget: fc.Arbitrary<readonly [string, string]> = fc.oneof(
  fc.tuple(
    fc.constant("POST"),
    pathTarget.map((target) => target.replace(/^\/(healthz|verdict)/, "/flagger")),
  ),
  fc.tuple(
    fc.constant("GET"),
    pathTarget.map((target) => target.replace(/^\/flagger/, "/verdict")),
  ),
  fc.tuple(routedMethod, pathTarget),
);

export const serveRequest: fc.Arbitrary<ServeRequest> = fc
  .record({
    route: methodAndTarget,
    body: webhookBody,
    framing: fc.oneof(
      { weight: 6, arbitrary: fc.constant("length" as const) },
      { weight: 2, arbitrary: fc.constant("chunked" as const) },
      { weight: 1, arbitrary: fc.constant("declared-oversize" as const) },
    ),
  })
  .map(({ route: [method, target], ...rest }) => {
    const request: ServeRequest = { method, target, ...rest };
    return { ...request, [fc.toStringMethod]: () => describeRequest(request) };
  });

/** How a counterexample prints: the body as text when it is UTF-8, else as bytes. */
function describeRequest(request: ServeRequest): string {
  const text = request.body.toString("utf8");
  const body = Buffer.from(text).equals(request.body)
    ? JSON.stringify(text)
    : `bytes [${[...request.body].join(",")}]`;
  return `${request.method} ${JSON.stringify(request.target)} (${request.framing}) body ${body}`;
}

/** The request as bytes; `Connection: close` so that every answer ends with the connection. */
export function rawRequest(request: ServeRequest): RawRequest {
  const head = (framingHeader: string) =>
    Buffer.from(
      `${request.method} ${request.target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${framingHeader}\r\n\r\n`,
      "latin1",
    );
  if (request.framing === "declared-oversize")
    return { head: head(`Content-Length: ${MAX_WEBHOOK_BYTES + 1 + request.body.length}`), headOnly: true };
  if (request.framing === "length")
    return { head: head(`Content-Length: ${request.body.length}`), body: request.body };
  return { head: head("Transfer-Encoding: chunked"), body: chunked(request.body) };
}

/** Chunked encoding in pieces of up to 4 KB. */
export function chunked(body: Buffer, pieceBytes = 4096): Buffer {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; at += pieceBytes) {
    const piece = body.subarray(at, at + pieceBytes);
    pieces.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n"));
  }
  pieces.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(pieces);
}
