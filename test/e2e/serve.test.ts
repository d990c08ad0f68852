import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** `shadowdiff serve` as Argo Rollouts and Flagger would call it (built CLI, real HTTP). */
const execute = promisify(execFile);
let base = "";
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
      // A free port, named on the start-up line: no fixed port to collide with another run.
      "--port",
      "0",
      "--store",
      store,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve did not start")), 20_000);
    server.stderr?.on("data", (chunk: Buffer) => {
      const started = /serve: gate verdicts on (http:\/\/\S+)/.exec(chunk.toString());
      if (started?.[1] !== undefined) {
        base = started[1];
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
    const unknown = await call("no-such-release");
    expect(unknown.status).toBe(400);
    // Whoever can reach the port learns nothing of the store's other releases.
    expect(await unknown.text()).not.toContain("support-agent@1.4.0");
  });

  it("answers a bad webhook body 400 with the reason, and a huge one 413 without reading it", async () => {
    const post = (body: string | Uint8Array) => fetch(`${base}/flagger`, { method: "POST", body });
    const notJson = await post("{not json");
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    expect((await post('{"metadata": {"candidate": 5}}')).status).toBe(400);
    expect((await post("[]")).status).toBe(400);
    const before = await rss(server.pid as number);
    const huge = await post(new Uint8Array(300 << 20));
    expect(huge.status).toBe(413);
    // Refused from its declared length: the server's memory did not grow by the body.
    expect((await rss(server.pid as number)) - before).toBeLessThan(64 << 20);
  });

  it("answers 2,000 requests, 200 in flight, each within 10 s", async () => {
    const candidates = ["support-agent@1.5.0-rc.1", "support-agent@1.4.1"];
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 2_000) {
        const index = next++;
        const started = performance.now();
        const response = await fetch(
          `${base}/verdict?candidate=${encodeURIComponent(candidates[index % 2] as string)}`,
        );
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: 200 }, worker));
    expect(latencies).toHaveLength(2_000);
    expect(Math.max(...latencies)).toBeLessThan(10_000);
  });

  it("stops on SIGTERM with exit 0", async () => {
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

/** Resident memory of a process, from /proc (Linux). */
async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}
