import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * FIXTURE: local stand-ins for the Langfuse public API and the Braintrust API, which this machine
 * cannot reach. Each records every request its vendor's real client sends and implements the
 * vendor's documented semantics for the calls an import makes, nothing more:
 * - Langfuse: `POST /api/public/v2/datasets` upserts a dataset by name; `POST
 *   /api/public/dataset-items` needs an existing `datasetName` (404 otherwise), upserts the item
 *   by `id` (a new id when none is given), and refuses an id already used in another dataset
 *   ("Id needs to be unique (project-level), cannot be reused across datasets"). Basic auth.
 * - Braintrust: `POST /api/apikey/login` names one organization whose API is this server;
 *   `POST /api/dataset/register` creates or finds a dataset by project and name; `POST /logs3`
 *   takes rows: a row without `_is_merge` replaces the record with its `id` ("if a record with
 *   that id already exists, it will be overwritten"), `_is_merge` merges, `_object_delete`
 *   deletes. Bearer auth.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

export interface FixtureServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

type Handler = (request: RecordedRequest, headers: IncomingMessage["headers"]) => [number, unknown];

async function serve(handler: Handler): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = new URL(incoming.url ?? "/", "http://fixture");
      const request = {
        method: incoming.method ?? "GET",
        path: url.pathname,
        body: text ? JSON.parse(text) : null,
      };
      requests.push(request);
      const [status, body] = handler(request, incoming.headers);
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export interface LangfuseItem {
  readonly id: string;
  readonly datasetName: string;
  readonly body: Record<string, unknown>;
}

export async function langfuseFixture(): Promise<FixtureServer & { items: Map<string, LangfuseItem> }> {
  const datasets = new Set<string>();
  const items = new Map<string, LangfuseItem>();
  let generated = 0;
  const server = await serve(({ method, path, body }, headers) => {
    if (!headers.authorization?.startsWith("Basic ")) return [401, { message: "Unauthorized" }];
    const fields = (body ?? {}) as Record<string, unknown>;
    if (method === "POST" && path === "/api/public/v2/datasets") {
      const name = fields.name;
      if (typeof name !== "string" || name === "") return [400, { message: "name is required" }];
      datasets.add(name);
      return [
        200,
        { id: `dataset-${name}`, name, metadata: null, projectId: "fixture", createdAt: "", updatedAt: "" },
      ];
    }
    if (method === "POST" && path === "/api/public/dataset-items") {
      const datasetName = fields.datasetName;
      if (typeof datasetName !== "string") return [400, { message: "datasetName is required" }];
      if (!datasets.has(datasetName)) return [404, { message: `Dataset ${datasetName} not found` }];
      const id = typeof fields.id === "string" ? fields.id : `generated-${++generated}`;
      const existing = items.get(id);
      if (existing !== undefined && existing.datasetName !== datasetName)
        return [400, { message: `Dataset item ${id} belongs to another dataset` }];
      items.set(id, { id, datasetName, body: fields });
      return [200, { ...fields, id, status: "ACTIVE", datasetId: `dataset-${datasetName}` }];
    }
    return [404, { message: `no route ${method} ${path}` }];
  });
  return Object.assign(server, { items });
}

export async function braintrustFixture(): Promise<
  FixtureServer & { records: Map<string, Record<string, unknown>> }
> {
  const records = new Map<string, Record<string, unknown>>();
  let url = "";
  const server = await serve(({ method, path, body }, headers) => {
    if (!headers.authorization?.startsWith("Bearer ")) return [401, { message: "Unauthorized" }];
    const fields = (body ?? {}) as Record<string, unknown>;
    if (method === "POST" && path === "/api/apikey/login")
      return [
        200,
        {
          org_info: [
            { id: "org-fixture", name: "fixture", api_url: url, proxy_url: url, git_metadata: null },
          ],
        },
      ];
    if (method === "POST" && path === "/api/dataset/register") {
      const project = String(fields.project_name);
      const dataset = String(fields.dataset_name);
      return [
        200,
        {
          project: { id: `project-${project}`, name: project },
          dataset: { id: `dataset-${project}-${dataset}`, name: dataset, project_id: `project-${project}` },
        },
      ];
    }
    if (method === "GET" && path === "/version") return [200, {}];
    if (method === "POST" && path === "/logs3") {
      for (const row of (fields.rows ?? []) as Record<string, unknown>[]) {
        const id = String(row.id);
        if (row._object_delete === true) records.delete(id);
        else if (row._is_merge === true) records.set(id, { ...records.get(id), ...row });
        else records.set(id, row);
      }
      return [200, {}];
    }
    return [404, { message: `no route ${method} ${path}` }];
  });
  url = server.url;
  return Object.assign(server, { records });
}
