export { type ReleaseContent, releaseContentId, releaseStamp } from "./content-id.js";
export { type LintFinding, type LintRule, lintRelease } from "./lint.js";
export { loadRelease } from "./load.js";
export { diffReleases, lineDiff, type ReleaseDiff } from "./release-diff.js";
