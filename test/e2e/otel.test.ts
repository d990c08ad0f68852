import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import type OpenAIType from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScriptedServer, startScriptedModelServer } from "../../fixtures/model-server/server.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import { RELEASE, runAgent, SCENARIOS } from "../support/otel-agent.js";

/**
 * The built CLI on real OpenTelemetry traffic: `collect` receiving OTLP/JSON from the official
 * exporter and flushing on SIGTERM, and `run --source otlp:` / `--candidate otlp:` reading the
 * Collector's file-exporter format (one ExportTraceServiceRequest per line, made here with the
 * library's JSON serializer) of two releases of the agent, diffed into pairs.
 */
const run = promisify(execFile);
const OpenAI = createRequire(import.meta.url)("openai") as typeof OpenAIType;
let models: ScriptedServer;
let directory: string;

beforeAll(async () => {
  models = await startScriptedModelServer();
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-otel-"));
});

afterAll(async () => {
  await models.close();
});

/** Runs the agent's scenarios on `model`, traced by OpenInference, spans to `exporter`. */
async function traceAgent(exporter: SpanExporter, model: string, version: string): Promise<void> {
  const resource = resourceFromAttributes({ "service.name": RELEASE.name, "service.version": version });
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  tracerProvider.register();
  const instrumentation = new OpenAIInstrumentation({ tracerProvider });
  instrumentation.manuallyInstrument(OpenAI);
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${models.url}/v1`, maxRetries: 0 });
  try {
    for (const scenario of [SCENARIOS.multiStep, SCENARIOS.parallel])
      if (scenario !== undefined)
        await runAgent(client, tracerProvider.getTracer("agent"), { ...scenario, model }, "openinference");
    await tracerProvider.forceFlush();
  } finally {
    instrumentation.disable();
    await tracerProvider.shutdown();
  }
}

async function untilLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  let seen = "";
  return new Promise((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) resolve(match);
    });
    child.once("exit", () => reject(new Error(`exited before ${pattern}: ${seen}`)));
  });
}

describe("shadowdiff collect", () => {
  it("receives OTLP/JSON from the official exporter and writes the records held on SIGTERM", async () => {
    const out = join(directory, "collected.jsonl");
    const child = spawn(
      "node",
      ["bin/shadowdiff.js", "collect", "--port", "0", "--grace", "600", "--out", out],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    const [, url] = await untilLine(child, /on (http:\/\/127\.0\.0\.1:\d+)/);
    await traceAgent(new OTLPTraceExporter({ url: `${url}/v1/traces` }), "gpt-4o-2024-08-06", "1.4.0");
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const records = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as ExchangeRecord);
    expect(records.map((record) => record.id).sort()).toEqual(["req-refund", "req-status"]);
    expect(
      records.find((record) => record.id === "req-status")?.response.steps.map((step) => step.name),
    ).toEqual(["lookup_account", "get_order"]);
  });
});

describe("shadowdiff run --source otlp:", () => {
  it("diffs two releases' traces from Collector file-exporter lines, invalid lines to the dead letters", async () => {
    const files: string[] = [];
    for (const [model, version] of [
      ["gpt-4o-2024-08-06", "1.4.0"],
      ["gpt-4.1-2025-04-14", "1.5.0"],
    ] as const) {
      // Kept outside the exporter: InMemorySpanExporter forgets its spans on shutdown.
      const finished: ReadableSpan[] = [];
      const spans = new InMemorySpanExporter();
      const keeping: SpanExporter = {
        export: (batch, done) => {
          finished.push(...batch);
          spans.export(batch, done);
        },
        shutdown: () => spans.shutdown(),
      };
      await traceAgent(keeping, model, version);
      const path = join(directory, `${version}.otlp.jsonl`);
      const text = finished
        .map((span) =>
          Buffer.from(JsonTraceSerializer.serializeRequest([span]) ?? new Uint8Array()).toString("utf8"),
        )
        .join("\n");
      await writeFile(path, `${text}\n${version === "1.5.0" ? "{broken\n" : ""}`);
      files.push(path);
    }
    const deadLetters = join(directory, "dead.jsonl");
    const { stderr } = await run("node", [
      "bin/shadowdiff.js",
      "run",
      "--source",
      `otlp:${files[0]}`,
      "--candidate",
      `otlp:${files[1]}`,
      "--store",
      `chdb:${join(directory, "store")}`,
      "--dead-letter",
      deadLetters,
      "--format",
      "none",
    ]);
    expect(stderr).toContain("2 exchange records");
    expect(stderr).toMatch(/candidate .*: 2 pairs/);
    const letters = (await readFile(deadLetters, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { line: number; code: string });
    expect(letters).toEqual([expect.objectContaining({ code: "INVALID_OTLP", line: expect.any(Number) })]);
  });
});
