import type { BehaviourSnapshot, BenchCase } from "./bench-case.js";
import { type PromptfooTestCase, promptfooCase } from "./promptfoo-case.js";

export type { PromptfooTestCase } from "./promptfoo-case.js";

/**
 * Harvested cases in the shapes eval tools import, field names as each tool documents them, each
 * carrying the case id so that importing a file again replaces instead of adding:
 * - promptfoo test cases: `description`, `vars`, `assert`, `metadata` (promptfoo-case.ts);
 * - Langfuse dataset items: the `CreateDatasetItemRequest` of `POST /api/public/dataset-items`
 *   (`@langfuse/client`'s `api.datasetItems.create`): `id` (items upsert by id), `datasetName`,
 *   `input`, `expectedOutput`, `metadata`, `sourceTraceId`;
 * - Braintrust dataset records: what `Dataset.insert` takes: `id` (an insert with an existing id
 *   overwrites that record), `input`, `expected`, `metadata`, `tags`;
 * - Inspect samples: `input`, `target`, `id`, `metadata` (inspect.aisi.org.uk/datasets.html).
 */
export const EXPORT_FORMATS = ["native", "promptfoo", "langfuse", "braintrust", "inspect"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** The Langfuse dataset the items go into. */
  readonly dataset: string;
}

type CaseMetadata = BenchCase["provenance"] & { readonly case_id: string; readonly input_hash: string };

export interface LangfuseDatasetItem {
  readonly id: string;
  readonly datasetName: string;
  readonly input: BenchCase["input"];
  readonly expectedOutput: BehaviourSnapshot;
  readonly metadata: CaseMetadata;
  readonly sourceTraceId?: string;
}

export interface BraintrustRecord {
  readonly id: string;
  readonly input: BenchCase["input"];
  readonly expected: BehaviourSnapshot;
  readonly metadata: CaseMetadata;
  readonly tags: string[];
}

export interface InspectSample {
  readonly id: string;
  readonly input: BenchCase["input"]["messages"];
  readonly target: string;
  readonly metadata: CaseMetadata;
}

export type ExportedCase =
  | BenchCase
  | PromptfooTestCase
  | LangfuseDatasetItem
  | BraintrustRecord
  | InspectSample;

export function exportCase(benchCase: BenchCase, format: "native", options: ExportOptions): BenchCase;
export function exportCase(
  benchCase: BenchCase,
  format: "promptfoo",
  options: ExportOptions,
): PromptfooTestCase;
export function exportCase(
  benchCase: BenchCase,
  format: "langfuse",
  options: ExportOptions,
): LangfuseDatasetItem;
export function exportCase(
  benchCase: BenchCase,
  format: "braintrust",
  options: ExportOptions,
): BraintrustRecord;
export function exportCase(benchCase: BenchCase, format: "inspect", options: ExportOptions): InspectSample;
export function exportCase(benchCase: BenchCase, format: ExportFormat, options: ExportOptions): ExportedCase;
export function exportCase(benchCase: BenchCase, format: ExportFormat, options: ExportOptions): ExportedCase {
  const metadata: CaseMetadata = {
    ...benchCase.provenance,
    case_id: benchCase.id,
    input_hash: benchCase.input_hash,
  };
  switch (format) {
    case "native":
      return benchCase;
    case "promptfoo":
      return promptfooCase(benchCase, metadata);
    case "langfuse": {
      const traceId = benchCase.provenance.langfuse_trace_id;
      return {
        id: benchCase.id,
        datasetName: options.dataset,
        input: benchCase.input,
        expectedOutput: benchCase.expected,
        metadata,
        ...(traceId === undefined ? {} : { sourceTraceId: traceId }),
      };
    }
    case "braintrust":
      return {
        id: benchCase.id,
        input: benchCase.input,
        expected: benchCase.expected,
        metadata,
        tags: ["shadowdiff", benchCase.provenance.category],
      };
    case "inspect":
      return {
        id: benchCase.id,
        input: benchCase.input.messages,
        target: benchCase.expected.output ?? "",
        metadata,
      };
  }
}
