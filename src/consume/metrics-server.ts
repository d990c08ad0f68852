import { createServer } from "node:http";
import { collectDefaultMetrics } from "prom-client";
import type { ConsumeMetrics } from "./consume-metrics.js";

export interface MetricsServer {
  /** The port it listens on (the free one taken when asked for 0). */
  readonly port: number;
  close(): void;
}

/**
 * Serves the consumer's metrics, and prom-client's default process metrics (CPU, memory, event
 * loop lag, GC: collected when scraped), as Prometheus text at `/metrics`, on every interface (a
 * Prometheus in the cluster scrapes it); port 0 takes a free one.
 */
export async function serveMetrics(port: number, metrics: ConsumeMetrics): Promise<MetricsServer> {
  collectDefaultMetrics({ register: metrics.registry });
  const server = createServer((request, response) => {
    if (request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    metrics.text().then(
      (text) => response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  const address = server.address();
  return {
    port: address !== null && typeof address === "object" ? address.port : port,
    close: () => server.close(),
  };
}
