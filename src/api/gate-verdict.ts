import { readFile } from "node:fs/promises";
import { buildReport } from "../analyze/report.js";
import type { DriftReport } from "../analyze/report-types.js";
import { isShadowdiffError, ShadowdiffError } from "../contracts/errors.js";
import { consecutiveVerdict, type Look, lookEnds } from "../gate/consecutive.js";
import { evaluate } from "../gate/evaluate.js";
import { type LoadedPolicy, parsePolicy } from "../gate/parse-policy.js";
import type { GateVerdict } from "../gate/verdict.js";
import type { Store } from "../store/store.js";

/** Reads a policy file and parses it (gate/parse-policy.ts). */
export async function loadPolicy(path: string): Promise<LoadedPolicy> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new ShadowdiffError("FILE_NOT_FOUND", `policy file not found: ${path}`, {
      context: { source: path },
      cause,
    });
  }
  return parsePolicy(bytes, path);
}

/** The gate's verdict for one candidate: report (with the policy's segments) → guardrails → verdict. */
export async function gateVerdict(
  store: Store,
  policy: LoadedPolicy,
  options: {
    readonly candidate: string;
    readonly baseline?: string;
    readonly sequential?: boolean;
    readonly since?: number;
    readonly until?: number;
  },
  /** The clock, for the consecutive looks' ends when no `until` is given (seconds). */
  now: () => number = () => Math.floor(Date.now() / 1000),
): Promise<GateVerdict> {
  const reportUntil = (until: number | undefined) =>
    buildReport(store, {
      candidate: options.candidate,
      ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
      by: [...new Set((policy.policy.segments ?? []).map((segment) => segment.by))],
      minPairs: policy.policy.min_pairs_per_segment,
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(until === undefined ? {} : { until }),
    });
  const sequential = options.sequential === true;
  const latest = verdictOf(await reportUntil(options.until), policy, sequential);
  const consecutive = policy.policy.consecutive;
  if (!sequential || consecutive === undefined) return latest;
  const ends = lookEnds(options.until ?? now(), consecutive);
  const looks: Look[] = [{ until: ends[0] as number, verdict: latest.verdict }];
  // Earlier looks are needed only to confirm a promote; a hold or a fail stands as it is.
  for (const until of latest.verdict === "promote" ? ends.slice(1) : []) {
    const earlier = await reportUntil(until).catch((error: unknown) => {
      // A look before any pair existed has nothing to promote on.
      if (isShadowdiffError(error) && error.code === "BAD_USAGE") return null;
      throw error;
    });
    const verdict = earlier === null ? "hold" : verdictOf(earlier, policy, true).verdict;
    looks.push({ until, verdict });
    if (verdict !== "promote") break;
  }
  const result = consecutiveVerdict(looks, consecutive);
  return { ...latest, verdict: result.verdict, consecutive: result };
}

/** The verdict of a report already built (it must hold the policy's segment dimensions). */
export function verdictOf(report: DriftReport, policy: LoadedPolicy, sequential: boolean): GateVerdict {
  const result = evaluate(report, policy.policy, { sequential });
  return {
    schema: "shadowdiff.verdict/v1",
    verdict: result.verdict,
    candidate: report.candidate,
    baseline: report.baseline,
    policy: { source: policy.source, sha256: policy.sha256 },
    window: report.window,
    pairs: report.overall.pairs,
    mode: sequential ? "sequential" : "fixed",
    guardrails: result.guardrails,
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
}
