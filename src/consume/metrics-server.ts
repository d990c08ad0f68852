import { createServer } from "node:http";
import { type ConsumeMetrics, prometheusText } from "./consume-metrics.js";

export interface MetricsServer {
  /** The port it listens on (the free one taken when asked for 0). */
  readonly port: number;
  close(): void;
}

/**
 * Serves the consumer's metrics as Prometheus text at `/metrics`, on every interface (a
 * Prometheus in the cluster scrapes it); port 0 takes a free one.
 */
export async function serveMetrics(port: number, metrics: ConsumeMetrics): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    if (request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(prometheusText(metrics));
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  const address = server.address();
  return {
    port: address !== null && typeof address === "object" ? address.port : port,
    close: () => server.close(),
  };
}
