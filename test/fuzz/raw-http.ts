import { connect } from "node:net";

/**
 * A raw HTTP/1.1 client over a TCP socket, for requests no well-behaved client would send: any
 * method token, request-target and body bytes. It writes the request, reads until the server
 * closes, and parses what came back; `fetch` and `http.request` would refuse or repair most of it.
 */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** What a request got: an answer, or the connection ending without one (and how). */
export type Outcome = { readonly answer: Answer } | { readonly noAnswer: string };

export interface RawRequest {
  readonly head: Buffer;
  readonly body?: Buffer;
  /** Send the head only and read the answer: for a body the server should refuse unread. */
  readonly headOnly?: boolean;
}

export function exchange(port: number, request: RawRequest, limitMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    let ended: string | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${limitMs} ms (a hang)`));
    }, limitMs);
    const finish = () => {
      clearTimeout(timer);
      const bytes = Buffer.concat(received);
      const answer = parseAnswer(bytes);
      resolve(
        answer === undefined ? { noAnswer: `${ended ?? "closed"} after ${bytes.length} bytes` } : { answer },
      );
    };
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      if (request.headOnly && parseAnswer(Buffer.concat(received))?.complete) socket.destroy();
    });
    // A reset after the answer arrived (the server closed with our body unread) is no failure.
    socket.on("error", (error: NodeJS.ErrnoException) => {
      ended = error.code ?? error.message;
    });
    socket.on("close", finish);
    socket.write(request.head);
    if (!request.headOnly && request.body !== undefined) socket.write(request.body);
    socket.end();
  });
}

interface ParsedAnswer extends Answer {
  readonly complete: boolean;
}

const CRLF2 = Buffer.from("\r\n\r\n");

/** The final (non-1xx) response in the bytes, or undefined when there is none. */
function parseAnswer(bytes: Buffer): ParsedAnswer | undefined {
  let start = 0;
  for (;;) {
    const headEnd = bytes.indexOf(CRLF2, start);
    if (headEnd === -1) return undefined;
    const lines = bytes.subarray(start, headEnd).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1]);
    if (!Number.isInteger(status)) return undefined;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const bodyStart = headEnd + CRLF2.length;
    if (status >= 100 && status < 200) {
      start = bodyStart;
      continue;
    }
    const rest = bytes.subarray(bodyStart);
    if (headers["transfer-encoding"] === "chunked") {
      const { body, complete } = dechunk(rest);
      return { status, headers, body, complete };
    }
    const length = headers["content-length"];
    if (length !== undefined)
      return {
        status,
        headers,
        body: rest.subarray(0, Number(length)),
        complete: rest.length >= Number(length),
      };
    return { status, headers, body: rest, complete: false };
  }
}

function dechunk(bytes: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at);
    if (lineEnd === -1) return { body: Buffer.concat(parts), complete: false };
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
