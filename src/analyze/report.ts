import type { Store } from "../store/store.js";
import { buildDriftReport } from "./report-builder.js";
import { type ReadOptions, readNoiseFloor, readReportData } from "./report-reader.js";
import type { DriftReport, ReleaseRef } from "./report-types.js";

export interface ReportOptions extends ReadOptions {
  /** Segments with fewer pairs say so instead of printing rates (default 30). */
  readonly minPairs?: number;
}

/** The drift report of one candidate against its baseline: read (store-reader), then built (pure). */
export async function buildReport(store: Store, options: ReportOptions): Promise<DriftReport> {
  const data = await readReportData(store, options);
  return buildDriftReport(data, options.minPairs === undefined ? {} : { minPairs: options.minPairs });
}

/** A candidate's A/A noise floor without the rest of its report (the harvest's noise paths). */
export async function noiseFloorOf(
  store: Store,
  options: Pick<ReportOptions, "candidate" | "baseline">,
): Promise<{ candidate: ReleaseRef; baseline: ReleaseRef; noisePaths: string[] }> {
  const { candidate, baseline, noisePaths } = await readNoiseFloor(store, options);
  return { candidate, baseline, noisePaths };
}
