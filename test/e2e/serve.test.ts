import { execFile, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** `shadowdiff serve` as Argo Rollouts and Flagger would call it (built CLI, real HTTP). */
const execute = promisify(execFile);
const PORT = 18000 + (process.pid % 1000);
const base = `http://127.0.0.1:${PORT}`;
let server: ReturnType<typeof spawn>;

beforeAll(async () => {
  const store = `chdb:${join(await mkdtemp(join(tmpdir(), "shadowdiff-serve-")), "store")}`;
  await execute("bash", ["scripts/demo.sh", "--format", "none"], {
    env: { ...process.env, SHADOWDIFF_STORE: store },
  });
  server = spawn(
    "node",
    [
      "bin/shadowdiff.js",
      "serve",
      "--policy",
      "fixtures/releases/gate.yaml",
      "--port",
      String(PORT),
      "--store",
      store,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve did not start")), 20_000);
    server.stderr?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("serve: gate verdicts on")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});

afterAll(() => {
  server.kill("SIGKILL");
});

describe("shadowdiff serve", () => {
  it("answers an Argo Rollouts web metric with the verdict JSON", async () => {
    const response = await fetch(
      `${base}/verdict?candidate=${encodeURIComponent("support-agent@1.5.0-rc.1")}`,
    );
    expect(response.status).toBe(200);
    const verdict = (await response.json()) as { verdict: string; schema: string };
    expect(verdict.schema).toBe("shadowdiff.verdict/v1");
    expect(verdict.verdict).toBe("fail");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("answers a Flagger webhook with 2xx only on promote", async () => {
    const call = (candidate: string) =>
      fetch(`${base}/flagger`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: "support-agent",
          namespace: "prod",
          phase: "Progressing",
          metadata: { candidate },
        }),
      });
    expect((await call("support-agent@1.4.1")).status).toBe(200);
    expect((await call("support-agent@1.5.0-rc.1")).status).toBe(412);
    expect((await call("no-such-release")).status).toBe(400);
  });

  it("stops on SIGTERM with exit 0", async () => {
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
