import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * A store for the harvest and export tests: the fixture captures with personal data planted where
 * the bundled fixtures have none (a label holding an e-mail address, a card number held as a JSON
 * number in a tool argument) and a system prompt carrying dates and times that must survive
 * redaction byte for byte, plus a second candidate release that behaves exactly like the first,
 * so the two fail on the same inputs. Every capture (baseline, A/A, candidates) gets the same
 * change, so no pair's category moves.
 */
const execute = promisify(execFile);

export const CANDIDATE_A = "support-agent@1.5.0-rc.1";
export const CANDIDATE_B = "support-agent@1.5.0-rc.2";

export const PLANTED = {
  labelEmail: "ops.lead+vip@example.com",
  /** A Luhn-valid card held as a JSON number (below 2^53, so it round-trips exactly). */
  cardNumber: 4111111111111111,
  systemPrompt:
    "Current time: 2024-05-15 15:00:00 EST. Next free slot on 2024-05-20 (11:00 AM). Ledger: total 1234.56 2024.",
} as const;

/**
 * The Langfuse trace a request came from, for one request in seven: what a producer that traces
 * with Langfuse writes into `request.metadata.langfuse_trace_id` (32 hex digits, as OpenTelemetry).
 */
export function plantedTraceId(requestId: string): string | undefined {
  return Number(requestId.replace(/\D/g, "")) % 7 === 0
    ? createHash("sha256").update(requestId).digest("hex").slice(0, 32)
    : undefined;
}

interface CaptureLine {
  id: string;
  labels?: Record<string, string>;
  release: { id: string; version?: string };
  request: { messages: { role: string; content: unknown }[]; metadata?: Record<string, unknown> };
  response: { steps: { name: string; arguments: Record<string, unknown> }[] };
}

function plant(line: string, release?: { id: string; version: string }): string {
  const record = JSON.parse(line) as CaptureLine;
  record.labels = { ...record.labels, contact: PLANTED.labelEmail };
  record.request.messages = [{ role: "system", content: PLANTED.systemPrompt }, ...record.request.messages];
  const traceId = plantedTraceId(record.id);
  if (traceId !== undefined)
    record.request.metadata = { ...record.request.metadata, langfuse_trace_id: traceId };
  // The same tool gets the same extra argument on every side, so matching calls still match.
  for (const step of record.response.steps) {
    if (step.name === "lookup_account")
      step.arguments = { ...step.arguments, card_number: PLANTED.cardNumber };
  }
  if (release !== undefined) record.release = { ...record.release, ...release };
  return JSON.stringify(record);
}

async function plantedCapture(
  source: string,
  target: string,
  release?: { id: string; version: string },
): Promise<string> {
  const lines = (await readFile(source, "utf8")).split("\n").filter(Boolean);
  await writeFile(target, `${lines.map((line) => plant(line, release)).join("\n")}\n`);
  return target;
}

/** Writes the planted captures into `directory`, runs them into a chDB store there, returns its spec. */
export async function buildHarvestStore(directory: string): Promise<string> {
  const store = `chdb:${join(directory, "store")}`;
  const captures = "fixtures/captures";
  const baseline = await plantedCapture(`${captures}/baseline.jsonl`, join(directory, "baseline.jsonl"));
  const noise = await plantedCapture(`${captures}/aa.jsonl`, join(directory, "aa.jsonl"));
  const candidateA = await plantedCapture(
    `${captures}/candidate-model-upgrade.jsonl`,
    join(directory, "candidate-a.jsonl"),
  );
  const candidateB = await plantedCapture(
    `${captures}/candidate-model-upgrade.jsonl`,
    join(directory, "candidate-b.jsonl"),
    { id: `sha256:${"b".repeat(64)}`, version: "1.5.0-rc.2" },
  );
  await execute("node", [
    "bin/shadowdiff.js",
    "run",
    "--source",
    `file:${baseline}`,
    "--candidate",
    `file:${candidateA}`,
    "--candidate",
    `file:${candidateB}`,
    "--noise",
    `file:${noise}`,
    "--rules",
    "fixtures/rules.yaml",
    "--dead-letter",
    join(directory, "dead-letters.jsonl"),
    "--format",
    "none",
    "--store",
    store,
  ]);
  return store;
}

/** `shadowdiff harvest` through the built CLI; resolves to what it printed on stderr. */
export async function harvestCli(store: string, candidate: string, args: readonly string[]): Promise<string> {
  const { stderr } = await execute("node", [
    "bin/shadowdiff.js",
    "harvest",
    "--candidate",
    candidate,
    "--store",
    store,
    ...args,
  ]);
  return stderr;
}

export async function jsonLines<T>(file: string): Promise<T[]> {
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
