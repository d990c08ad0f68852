export { type ReleaseContent, releaseContentId, releaseStamp } from "./content-id.js";
export { loadRelease } from "./load.js";
