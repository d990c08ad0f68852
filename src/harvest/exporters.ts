import type { BenchCase } from "./bench-case.js";

/**
 * Harvested cases in the shapes eval tools import, field names as each tool documents them:
 * - promptfoo test cases: `description`, `vars`, `assert`, `metadata`
 *   (promptfoo.dev/docs/configuration/test-cases);
 * - Langfuse dataset items: `input`, `expectedOutput`, `metadata`, `sourceTraceId`
 *   (the public API's CreateDatasetItemRequest; js.reference.langfuse.com ApiDatasetItem);
 * - Braintrust dataset records: `input`, `expected`, `metadata`, `tags`
 *   (braintrust.dev/docs, datasets: "each record has four top-level fields");
 * - Inspect samples: `input`, `target`, `id`, `metadata` (inspect.aisi.org.uk/datasets.html).
 */
export const EXPORT_FORMATS = ["native", "promptfoo", "langfuse", "braintrust", "inspect"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportCase(benchCase: BenchCase, format: ExportFormat): Record<string, unknown> {
  const metadata = { ...benchCase.provenance, case_id: benchCase.id };
  const expectedText = benchCase.expected.output ?? "";
  switch (format) {
    case "native":
      return { ...benchCase };
    case "promptfoo":
      return {
        description: `${benchCase.provenance.category}: ${benchCase.provenance.reason}`,
        vars: { messages: benchCase.input.messages },
        assert: [
          ...(benchCase.expected.outcome === null ? [] : [{ type: "contains-json" }]),
          benchCase.expected.refusal === true
            ? { type: "llm-rubric", value: "The assistant refuses." }
            : { type: "llm-rubric", value: `Behaves like the reference answer: ${expectedText}` },
        ],
        metadata,
      };
    case "langfuse":
      return {
        input: benchCase.input,
        expectedOutput: benchCase.expected,
        metadata,
        sourceTraceId: benchCase.provenance.request_id,
      };
    case "braintrust":
      return {
        input: benchCase.input,
        expected: benchCase.expected,
        metadata,
        tags: ["shadowdiff", benchCase.provenance.category],
      };
    case "inspect":
      return {
        id: benchCase.id,
        input: benchCase.input.messages,
        target: expectedText,
        metadata,
      };
  }
}
