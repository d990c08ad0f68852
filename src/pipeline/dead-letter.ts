import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { DeadLetter } from "../contracts/dead-letter.js";

/** A JSONL dead-letter file, created on the first letter so clean runs leave nothing behind. */
export class DeadLetterFile {
  count = 0;
  private stream: WriteStream | undefined;

  constructor(readonly path: string) {}

  async write(letter: DeadLetter): Promise<void> {
    if (this.stream === undefined) {
      await mkdir(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.path, { flags: "a" });
    }
    this.count++;
    if (!this.stream.write(`${JSON.stringify(letter)}\n`)) {
      const stream = this.stream;
      await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
    }
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (stream === undefined) return;
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}
