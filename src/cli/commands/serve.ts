import type { Command } from "commander";
import { gateVerdict, loadPolicy } from "../../api/gate-verdict.js";
import type { GateVerdict } from "../../gate/verdict.js";
import { createServeServer } from "../../serve/server.js";
import { VerdictCache } from "../../serve/verdict-cache.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { shutdownSignal } from "../kafka-options.js";
import { numberAbove, wholeNumber } from "../option-parsers.js";
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
    description: "HTTP port; 0 takes a free one (the start-up line names it)",
    env: "SHADOWDIFF_PORT",
    defaultValue: 8080,
    parse: wholeNumber(0, 65_535),
  }),
  host: option({ flags: "--host <host>", description: "listen address", defaultValue: "127.0.0.1" }),
  cacheSeconds: option<number>({
    flags: "--cache-seconds <seconds>",
    description: "reuse a computed verdict this long; 0 computes every request",
    defaultValue: 10,
    parse: numberAbove(0, { inclusive: true }),
  }),
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
 * Errors: 400 for a bad request (unknown release, bad body), 413 past 64 KB, 503 when the store fails.
 * Verdicts are reused for --cache-seconds (see serve/verdict-cache.ts).
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
      const cache = new VerdictCache<GateVerdict>(options.cacheSeconds * 1000);
      const verdictFor = (candidate: string, baseline: string | null): Promise<GateVerdict> =>
        cache.get(JSON.stringify([candidate, baseline]), () =>
          gateVerdict(store, policy, {
            candidate,
            ...(baseline === null ? {} : { baseline }),
            sequential: options.sequential === true,
          }),
        );
      const server = createServeServer(verdictFor);
      await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
      const address = server.address();
      const port = address !== null && typeof address === "object" ? address.port : options.port;
      context.stderr(`serve: gate verdicts on http://${options.host}:${port} (policy ${options.policy})\n`);
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
