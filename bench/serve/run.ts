/**
 * `shadowdiff serve` under load: 2,000 GET /verdict requests, 200 in flight, on loopback, against
 * the demo store, with the verdict cache off (--cache-seconds 0, every request computes its
 * verdict: the behaviour before the cache) and on (the default, 10 s). Prints p50 / p95 / max
 * latency and the wall time of each, side by side in one run.
 *
 *   npm run build && npx tsx bench/serve/run.ts [--requests 2000] [--in-flight 200]
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    "in-flight": { type: "string", default: "200" },
  },
});
const requests = Number(values.requests);
const inFlight = Number(values["in-flight"]);
const store = `chdb:${join(mkdtempSync(join(tmpdir(), "shadowdiff-bench-serve-")), "store")}`;
execFileSync("bash", ["scripts/demo.sh", "--format", "none"], {
  env: { ...process.env, SHADOWDIFF_STORE: store },
  stdio: "ignore",
});

async function start(cacheSeconds: number): Promise<{ base: string; stop: () => void }> {
  const child = spawn(
    "node",
    [
      "bin/shadowdiff.js",
      "serve",
      "--policy",
      "fixtures/releases/gate.yaml",
      "--port",
      "0",
      "--store",
      store,
      "--cache-seconds",
      String(cacheSeconds),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  child.stderr?.on("data", (chunk: Buffer) => {
    if (!chunk.toString().startsWith("serve: gate verdicts")) process.stderr.write(`serve: ${chunk}`);
  });
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      const match = /serve: gate verdicts on (http:\/\/\S+)/.exec(chunk.toString());
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") console.error(`serve exited: code ${code} signal ${signal}`);
      reject(new Error("serve exited"));
    });
  });
  return { base, stop: () => child.kill("SIGKILL") };
}

async function load(
  base: string,
): Promise<{ p50: number; p95: number; max: number; wall: number; failed: number }> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const candidates = ["support-agent@1.5.0-rc.1", "support-agent@1.4.1"];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests) {
        const index = next++;
        const at = performance.now();
        try {
          const response = await fetch(
            `${base}/verdict?candidate=${encodeURIComponent(candidates[index % 2] as string)}`,
          );
          await response.arrayBuffer();
          if (response.status !== 200) failed++;
        } catch (error) {
          // Counted, not fatal: how many requests a server drops under load is part of the answer.
          if (failed++ === 0) console.error(`first failure: ${String((error as Error).cause ?? error)}`);
        }
        latencies.push(performance.now() - at);
      }
    }),
  );
  const wall = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { p50: at(0.5), p95: at(0.95), max: latencies.at(-1) as number, wall, failed };
}

console.log(`${requests} requests, ${inFlight} in flight, loopback, demo store (chDB)`);
console.log("cache        p50 ms   p95 ms   max ms   wall s  non-200");
for (const cacheSeconds of [0, 10]) {
  const server = await start(cacheSeconds);
  try {
    const result = await load(server.base);
    console.log(
      `${`${cacheSeconds} s`.padEnd(10)} ${result.p50.toFixed(0).padStart(8)} ${result.p95.toFixed(0).padStart(8)} ${result.max.toFixed(0).padStart(8)} ${(result.wall / 1000).toFixed(1).padStart(8)} ${String(result.failed).padStart(8)}`,
    );
  } finally {
    server.stop();
  }
}
