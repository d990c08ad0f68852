import { createServer, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { route, send, type VerdictSource } from "./routes.js";

/**
 * The HTTP server of `shadowdiff serve`: the routes, plus an answer for what never reaches them.
 * Every answer is JSON, including for a CONNECT (405) and for a request the HTTP parser refuses
 * (400); a failure to compute a verdict (the store) is 503, so the caller retries.
 */
export function createServeServer(verdictFor: VerdictSource): Server {
  const server = createServer((request, response) => {
    route(request, verdictFor).then(
      (reply) => send(response, reply),
      (error: unknown) => {
        const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
        send(response, { status: 503, body: { error: message } });
      },
    );
  });
  server.on("connect", (_request, socket: Duplex) => rawAnswer(socket, 405, "CONNECT is not served here"));
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or a timeout has no one left to answer.
    if (error.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    rawAnswer(socket, status, `bad HTTP request (${error.code ?? "parse error"})`);
  });
  return server;
}

function rawAnswer(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  const reason =
    status === 405
      ? "Method Not Allowed"
      : status === 431
        ? "Request Header Fields Too Large"
        : "Bad Request";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
