import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";

/**
 * Integration tests run against real services: an Apache Kafka broker and a ClickHouse server,
 * installed and started by scripts/services.sh (idempotent: services already running are
 * reused; ports taken by anything else are replaced by free ones), plus the headless chromium the
 * HTML report test renders in. What cannot be installed or started fails the run; nothing is
 * skipped. Services started here are stopped at the end (unless SHADOWDIFF_KEEP_SERVICES=1).
 */
export default function setup(project: TestProject): () => void {
  const startedHere = !isRunning();
  execFileSync("bash", ["scripts/services.sh", "install", "browser"], { stdio: "inherit" });
  execFileSync("bash", ["scripts/services.sh", "start", "all"], { stdio: "inherit" });
  // The script's own answer, not the defaults: the ports may have moved.
  const services = serviceEnvironment();
  project.provide("kafkaBrokers", services.SHADOWDIFF_KAFKA_BROKERS ?? "");
  project.provide("clickhouseUrl", services.SHADOWDIFF_CLICKHOUSE_URL ?? "");
  return () => {
    if (startedHere && process.env.SHADOWDIFF_KEEP_SERVICES !== "1") {
      execFileSync("bash", ["scripts/services.sh", "stop", "all"], { stdio: "inherit" });
    }
  };
}

function serviceEnvironment(): Record<string, string> {
  const lines = execFileSync("bash", ["scripts/services.sh", "env"], { encoding: "utf8" }).split("\n");
  const entries = lines
    .map((line) => /^export (\w+)=(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] as string, match[2] as string] as const);
  return Object.fromEntries(entries);
}

function isRunning(): boolean {
  try {
    const status = execFileSync("bash", ["scripts/services.sh", "status"], { encoding: "utf8" });
    return /kafka\s+running/.test(status) && /clickhouse\s+running/.test(status);
  } catch {
    return false;
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    kafkaBrokers: string;
    clickhouseUrl: string;
  }
}
