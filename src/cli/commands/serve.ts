import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { text } from "node:stream/consumers";
import type { Command } from "commander";
import { isShadowdiffError } from "../../contracts/errors.js";
import type { GateVerdict } from "../../gate/verdict.js";
import { gateVerdict, loadPolicy } from "../../pipeline/gate-verdict.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { shutdownSignal } from "../kafka-options.js";
import { tcpPort } from "../option-parsers.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { openReadableStore } from "../readable-store.js";
import { storeOptions, storeSettings } from "../store-options.js";

const serveOptions = {
  policy: option({
    flags: "--policy <file>",
    description: "gate policy (YAML/JSON)",
    env: "SHADOWDIFF_POLICY",
    required: true,
  }),
  port: option<number>({
    flags: "--port <port>",
    description: "HTTP port",
    env: "SHADOWDIFF_PORT",
    defaultValue: 8080,
    parse: tcpPort,
  }),
  host: option({ flags: "--host <host>", description: "listen address", defaultValue: "127.0.0.1" }),
  sequential: option<boolean>({
    flags: "--sequential",
    description: "always-valid intervals (a rollout polls the verdict repeatedly)",
  }),
  ...storeOptions,
} as const;

/**
 * `shadowdiff serve`: the gate's verdict over HTTP, in the shapes progressive-delivery tools read.
 * - `GET /verdict?candidate=X[&baseline=Y]`: the verdict JSON, always 200 when computed. For an
 *   Argo Rollouts web metric: `successCondition: result.verdict == "promote"`,
 *   `failureCondition: result.verdict == "fail"` (hold is then inconclusive).
 * - `POST /flagger`: a Flagger webhook (`metadata.candidate` names the release): 200 on promote,
 *   412 on hold or fail (Flagger treats any non-2xx as "not yet / roll back").
 * - `GET /healthz`.
 */
export function registerServe(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("serve")
    .description("serve the gate verdict over HTTP for Argo Rollouts (web metric) and Flagger (webhook)")
    .addHelpText("after", "\nSee docs/ROLLOUTS.md for example AnalysisTemplate and Canary manifests.");
  addOptions(command, serveOptions);
  command.action(() =>
    run(async () => {
      const options = readOptions(
        command,
        serveOptions,
        await loadCommandConfig(command, context.env),
        context.env,
      );
      const policy = await loadPolicy(options.policy);
      // Pairs may not have arrived yet when a canary starts: the store must exist, not be full.
      const store = await openReadableStore(storeSettings(options), { requirePairs: false });
      const verdictFor = (candidate: string, baseline: string | null): Promise<GateVerdict> =>
        gateVerdict(store, policy, {
          candidate,
          ...(baseline === null ? {} : { baseline }),
          sequential: options.sequential === true,
        });
      const server = createServer((request, response) => {
        void handle(request, response, verdictFor).catch((error: unknown) => {
          const status = isShadowdiffError(error) && error.code === "BAD_USAGE" ? 400 : 500;
          send(response, status, { error: error instanceof Error ? error.message : String(error) });
        });
      });
      await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
      context.stderr(
        `serve: gate verdicts on http://${options.host}:${options.port} (policy ${options.policy})\n`,
      );
      const shutdown = shutdownSignal((name) => context.stderr(`serve: ${name}, stopping\n`));
      await new Promise<void>((resolve) =>
        shutdown.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      shutdown.dispose();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      return EXIT.ok;
    }),
  );
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  verdictFor: (candidate: string, baseline: string | null) => Promise<GateVerdict>,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (request.method === "GET" && url.pathname === "/healthz") return send(response, 200, { ok: true });
  if (request.method === "GET" && url.pathname === "/verdict") {
    const candidate = url.searchParams.get("candidate");
    if (candidate === null) return send(response, 400, { error: "missing ?candidate=" });
    return send(response, 200, await verdictFor(candidate, url.searchParams.get("baseline")));
  }
  if (request.method === "POST" && url.pathname === "/flagger") {
    const body = JSON.parse((await text(request)) || "{}") as { metadata?: Record<string, string> };
    const candidate = body.metadata?.candidate;
    if (candidate === undefined)
      return send(response, 400, { error: "Flagger webhook metadata needs 'candidate'" });
    const verdict = await verdictFor(candidate, body.metadata?.baseline ?? null);
    return send(response, verdict.verdict === "promote" ? 200 : 412, verdict);
  }
  return send(response, 404, { error: `no route ${request.method} ${url.pathname}` });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
