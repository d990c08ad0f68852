export { canonicalize, canonicalKey } from "./canonical.js";
export { type CompiledRules, type CompiledToolRules, compileRules } from "./compile-rules.js";
export { applyMasks, compileMasks } from "./masks.js";
export { detectRefusal } from "./refusal.js";
export { resolveRules } from "./resolve-rules.js";
export { type InvalidCall, type ToolCallValidator, ToolSchemaRegistry } from "./tool-validity.js";
export { type NormalizedStep, type NormalizedTrace, normalizeTrace, type ToolCallCounts } from "./trace.js";
