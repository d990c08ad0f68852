// bench/diff memory: peak RSS of `shadowdiff diff` on a 1,000,000-pair generated capture.
//
//   npx tsx fixtures/generate/main.ts --pair-only --count 1000000 --out bench/out/1m   (~45 s, 3.2 GB)
//   npm run build && node bench/diff/memory.mjs bench/out/1m
//
// Runs the built CLI in this process and reads the process's own peak RSS (getrusage maxrss)
// at the end, so the figure covers the whole run, not a sample of it.
import { runCli } from "../../dist/cli/main.js";

const dir = process.argv[2] ?? "bench/out/1m";
const started = process.hrtime.bigint();
let output = "";
const code = await runCli(
  [
    "diff",
    "--baseline",
    `${dir}/baseline.jsonl`,
    "--candidate",
    `${dir}/candidate-model-upgrade.jsonl`,
    "--format",
    "json",
  ],
  {
    stdout: (text) => (output += text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    interactive: false,
  },
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const result = JSON.parse(output);
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({
    bench: "diff-memory",
    exit: code,
    pairs: result.pairs,
    seconds: Number(seconds.toFixed(1)),
    pairs_per_s: Math.round(result.pairs / seconds),
    peak_rss_mb: Number(peakMb.toFixed(1)),
  }),
);
