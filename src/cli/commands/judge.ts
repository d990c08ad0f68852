import type { Command } from "commander";
import { releasesSql } from "../../analyze/report-queries.js";
import { resolveRelease, type StoredRelease } from "../../analyze/report-scope.js";
import { readPricing } from "../../contracts/read-pricing.js";
import { loadJudge } from "../../judge/load-judge.js";
import { judgeStoredPairs } from "../../pipeline/judge-stored.js";
import { isCurrent, migrate } from "../../store/migrate.js";
import { openStore } from "../../store/open-store.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { executionOptions } from "../execution-options.js";
import { EXIT } from "../exit-codes.js";
import { judgeSettings, judgeSummaryText } from "../judge-options.js";
import { shutdownSignal } from "../kafka-options.js";
import { share, wholeNumber } from "../option-parsers.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { progressReporter } from "../progress.js";
import { manifestLoading, manifestRootOptions } from "../shared-options.js";
import { storeOptions, storeSettings } from "../store-options.js";

const judgeOptions = {
  candidate: option({
    flags: "--candidate <release>",
    description: "candidate release whose stored pairs are judged: id, name or name@version",
    required: true,
  }),
  judge: option({
    flags: "--judge <manifest>",
    description: "judge manifest (judge.yaml: pinned model, prompt template, categories)",
    env: "SHADOWDIFF_JUDGE",
    required: true,
  }),
  sample: option({
    flags: "--sample <share>",
    description: "share of the pairs judged, by request id (5%)",
    defaultValue: "100%",
    parse: share,
  }),
  limit: option<number>({
    flags: "--limit <n>",
    defaultText: "no limit",
    description: "judge at most this many pairs in this run (cached verdicts count)",
    parse: wholeNumber(1),
  }),
  maxSpend: {
    ...executionOptions.maxSpend,
    description: "stop spending on the judge past this (20usd/h); skipped pairs are counted",
  },
  concurrency: { ...executionOptions.concurrency, description: "pairs judged at once" },
  rateLimit: { ...executionOptions.rateLimit, description: "judge model calls per second" },
  retries: { ...executionOptions.retries, description: "retries of 429/5xx/connection failures" },
  allowFloating: {
    ...executionOptions.allowFloating,
    description: "accept a judge whose model is a floating alias",
  },
  modelBaseUrl: {
    ...executionOptions.modelBaseUrl,
    description: "send the judge's requests here (a proxy, or the scripted fixture server)",
  },
  pricing: option({
    flags: "--pricing <file>",
    description: "pricing table for the judge's spend (default: config/pricing.yaml)",
    env: "SHADOWDIFF_PRICING",
  }),
  format: option<"terminal" | "json">({
    flags: "--format <format>",
    description: "the summary on stdout: terminal (none, stderr only) or json",
    choices: ["terminal", "json"],
    defaultValue: "terminal",
  }),
  ...storeOptions,
  ...manifestRootOptions,
} as const;

export function registerJudge(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("judge")
    .description("judge stored pairs with a pairwise model judge, asked both ways round")
    .addHelpText(
      "after",
      `
Judges the candidate's stored pairs in the judge's categories (default text_only and
outcome_mismatch) that hold no judgement by this judge release. Each pair is shown as
(baseline, candidate) and as (candidate, baseline): a verdict only when both orders agree, else
'same' and counted inconsistent; an answer unreadable after one repair is counted unparseable.
Idempotent: a second run judges nothing and calls the model zero times; verdicts are cached by
the content hash of (judge release, request, both answers). To measure the judge's own noise,
judge the baseline's A/A pairs: --candidate <the baseline release>.

Exit codes: 0 done, 2 bad usage or manifest, 4 store error or every judge call failed,
143 stopped by a signal (what was judged is stored).

Example:
  shadowdiff judge --candidate support-agent@1.5.0 --judge judge.yaml --sample 20% --max-spend 5usd/h`,
    );
  addOptions(command, judgeOptions);
  command.action(() => run(() => judgeAction(command, context)));
}

async function judgeAction(command: Command, context: CliContext): Promise<number> {
  const options = readOptions(
    command,
    judgeOptions,
    await loadCommandConfig(command, context.env),
    context.env,
  );
  const judge = await loadJudge(options.judge, {
    ...manifestLoading(options),
    allowFloating: options.allowFloating === true,
  });
  const pricing = await readPricing(options.pricing);
  const store = await openStore(storeSettings(options));
  try {
    if (!(await isCurrent(store))) await migrate(store);
    // By id, name or name@version; the baseline release names its own A/A pairs (judge noise).
    const candidate = resolveRelease(
      options.candidate,
      await store.query<StoredRelease>(releasesSql(store.database)),
      "candidate",
    );
    const progress = progressReporter(context, "judge");
    const shutdown = shutdownSignal((name) =>
      context.stderr(`judge: ${name}, writing what was judged and stopping\n`),
    );
    const { summary, stopped } = await judgeStoredPairs({
      store,
      judge,
      candidate: candidate.id,
      settings: judgeSettings(options, context.env),
      pricing,
      onProgress: (done) => progress.update(`${done.judged} judged, ${done.skippedBudget} skipped (budget)`),
      signal: shutdown.signal,
    });
    progress.done();
    shutdown.dispose();
    const name = `${judge.release.name}@${judge.release.version}`;
    context.stderr(judgeSummaryText(name, options.candidate, summary));
    if (options.format === "json") {
      context.stdout(
        `${JSON.stringify({ judge: { id: judge.release.id, name: judge.release.name, version: judge.release.version }, candidate, summary }, null, 2)}\n`,
      );
    }
    if (stopped) return EXIT.interrupted;
    if (summary.failed > 0 && summary.judged === 0) {
      context.stderr(
        "judge: every judge call failed (see the provider's answer above); nothing was stored\n",
      );
      return EXIT.infrastructure;
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
