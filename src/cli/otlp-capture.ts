import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { deadLetterOf } from "../contracts/dead-letter.js";
import { DeadLetterFile } from "../pipeline/dead-letter.js";
import { readOtlpFile } from "../sources/otel/otlp-file.js";

export interface OtlpCapture {
  /** The exchange records, one per line: a capture every `file:` reader takes. */
  readonly path: string;
  readonly records: number;
  readonly deadLetters: number;
}

/**
 * `otlp:FILE` (the Collector's file exporter output) turned into a JSONL capture in a temporary
 * folder, so it takes exactly the path a `file:` capture takes. Lines that are not OTLP and
 * traces that make no record go to the dead-letter file with the OTLP file's line numbers.
 */
export async function otlpCapture(spec: string, deadLetterPath: string): Promise<OtlpCapture> {
  const source = spec.slice("otlp:".length);
  const directory = await mkdtemp(join(tmpdir(), "shadowdiff-otlp-"));
  const path = join(directory, `${basename(source)}.exchange.jsonl`);
  const out = createWriteStream(path);
  const deadLetters = new DeadLetterFile(deadLetterPath);
  let records = 0;
  for await (const item of readOtlpFile(source)) {
    if (item.kind === "record") {
      records++;
      if (!out.write(`${JSON.stringify(item.record)}\n`))
        await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    } else await deadLetters.write(deadLetterOf(item.error, item.text));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  await deadLetters.close();
  return { path, records, deadLetters: deadLetters.count };
}
