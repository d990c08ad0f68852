import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";

/**
 * scripts/services.sh must start on a machine where the default ports are already held (another
 * checkout's services): the test suite's own services hold them here, so a second state
 * directory must be given other, free ports, and `env` must name the ports a start recorded.
 */
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

async function stateDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "shadowdiff-services-"));
  directories.push(directory);
  return directory;
}

function services(args: string[], env: Record<string, string>): string {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^SHADOWDIFF_(KAFKA|CLICKHOUSE)_/.test(name)),
  );
  return execFileSync("bash", ["scripts/services.sh", ...args], {
    env: { ...clean, ...env },
    encoding: "utf8",
  });
}

function parsePorts(text: string): Record<string, number> {
  return Object.fromEntries(
    text
      .trim()
      .split("\n")
      .map((line) => line.split("="))
      .map(([name, port]) => [name as string, Number(port)]),
  );
}

async function isFree(port: number): Promise<boolean> {
  const server: Server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("scripts/services.sh ports", () => {
  it("moves every port that something else holds to a free one, and keeps them apart", async () => {
    const held = [new URL(inject("clickhouseUrl")).port, inject("kafkaBrokers").split(":")[1]].map(Number);
    const ports = parsePorts(services(["ports"], { SHADOWDIFF_SERVICES_DIR: await stateDirectory() }));
    const values = Object.values(ports);
    expect(Object.keys(ports).sort()).toEqual(
      ["CH_HTTP_PORT", "CH_INTERSERVER_PORT", "CH_TCP_PORT", "KAFKA_CONTROLLER_PORT", "KAFKA_PORT"].sort(),
    );
    for (const port of held) expect(values).not.toContain(port);
    expect(new Set(values).size).toBe(values.length);
    for (const port of values) expect(await isFree(port), `port ${port}`).toBe(true);
  });

  it("uses a port set in the environment as given", async () => {
    const ports = parsePorts(
      services(["ports"], {
        SHADOWDIFF_SERVICES_DIR: await stateDirectory(),
        SHADOWDIFF_KAFKA_PORT: "29092",
      }),
    );
    expect(ports.KAFKA_PORT).toBe(29092);
  });

  it("prints, in env, the ports the last start of that directory recorded", async () => {
    const directory = await stateDirectory();
    await writeFile(join(directory, "ports.env"), "KAFKA_PORT=29111\nCH_HTTP_PORT=28222\n");
    const env = services(["env"], { SHADOWDIFF_SERVICES_DIR: directory });
    expect(env).toContain("export SHADOWDIFF_KAFKA_BROKERS=127.0.0.1:29111");
    expect(env).toContain("export SHADOWDIFF_CLICKHOUSE_URL=http://127.0.0.1:28222");
  });
});
