import { storedManifests } from "../analyze/release-reader.js";
import { buildReport, type ReportOptions } from "../analyze/report.js";
import type { DriftReport } from "../analyze/report-types.js";
import type { LoadedPolicy } from "../gate/parse-policy.js";
import type { GateVerdict } from "../gate/verdict.js";
import { redactReport } from "../harvest/redact.js";
import { diffReleases, type ReleaseDiff } from "../release/release-diff.js";
import type { Store } from "../store/store.js";
import { verdictOf } from "./gate-verdict.js";

/** What `report` renders: the report with its examples scrubbed, and what the HTML page adds. */
export interface ReportForOutput {
  readonly report: DriftReport;
  /** The policy's verdict on this same report (same window), when a policy was given. */
  readonly verdict: GateVerdict | null;
  /** What changed between the two releases' stored manifests, when the store has both. */
  readonly releaseDiff: ReleaseDiff | null;
}

/**
 * `shadowdiff report` as a function: the drift report (read, then built), its examples redacted
 * because they leave the store in it, and, when asked, the verdict and the release diff. The
 * policy's segment dimensions are added to `by`, so its verdict can be judged on this report.
 */
export async function reportForOutput(
  store: Store,
  options: ReportOptions & { readonly policy?: LoadedPolicy; readonly withReleaseDiff?: boolean },
): Promise<ReportForOutput> {
  const { policy, withReleaseDiff, ...reportOptions } = options;
  const by = [
    ...new Set([
      ...(reportOptions.by ?? []),
      ...(policy?.policy.segments ?? []).map((segment) => segment.by),
    ]),
  ];
  const built = await buildReport(store, { ...reportOptions, by });
  const report = redactReport(built);
  return {
    report,
    verdict: policy === undefined ? null : verdictOf(report, policy, false),
    releaseDiff:
      withReleaseDiff === true ? await releaseDiffOf(store, report.baseline.id, report.candidate.id) : null,
  };
}

async function releaseDiffOf(store: Store, baseline: string, candidate: string): Promise<ReleaseDiff | null> {
  const manifests = await storedManifests(store, [baseline, candidate]);
  const before = manifests.get(baseline);
  const after = manifests.get(candidate);
  return before === undefined || after === undefined ? null : diffReleases(before, after);
}
