import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";

/**
 * Integration tests run against real services: an Apache Kafka broker and a ClickHouse server,
 * started by scripts/services.sh (idempotent: services already running are reused). A service
 * that cannot start fails the run; nothing is skipped.
 */
export default function setup(project: TestProject): () => void {
  const startedHere = !isRunning();
  execFileSync("bash", ["scripts/services.sh", "start", "all"], { stdio: "inherit" });
  project.provide("kafkaBrokers", process.env.SHADOWDIFF_KAFKA_BROKERS ?? "127.0.0.1:19092");
  project.provide("clickhouseUrl", process.env.SHADOWDIFF_CLICKHOUSE_URL ?? "http://127.0.0.1:18123");
  return () => {
    if (startedHere && process.env.SHADOWDIFF_KEEP_SERVICES !== "1") {
      execFileSync("bash", ["scripts/services.sh", "stop", "all"], { stdio: "inherit" });
    }
  };
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
