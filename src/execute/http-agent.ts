import { compileContract, formatSchemaErrors } from "../contracts/ajv.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { type ExchangeRecord, type ExchangeResponse, exchangeJsonSchema } from "../contracts/exchange.js";
import type { ResolvedRelease } from "../contracts/release.js";
import { type ProviderEndpoint, postJson } from "./provider-http.js";

const validateResponse = compileContract<ExchangeResponse>({
  ...exchangeJsonSchema.properties.response,
  $id: "https://shadowdiff.dev/schemas/agent-response.json",
});

/**
 * The generic HTTP agent endpoint, for teams whose agent is a service with its own shadow mode:
 * one POST of the request and the candidate release (`{id, request, release}`) to the endpoint's
 * path (default `/shadow`), answered with an exchange `response` object. The service runs its own
 * loop and must answer tool calls from recordings itself; shadowdiff validates what comes back.
 */
export async function executeHttpAgent(
  release: ResolvedRelease,
  baseline: ExchangeRecord,
  endpoint: ProviderEndpoint,
): Promise<ExchangeResponse> {
  const path = typeof release.endpoint.path === "string" ? release.endpoint.path : "/shadow";
  const body = {
    id: baseline.id,
    request: baseline.request,
    release: {
      id: release.id,
      name: release.name,
      version: release.version,
      model: release.model,
      prompt: release.prompt,
      tools: release.tools,
      config: release.config,
    },
  };
  const auth: Record<string, string> = endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {};
  const reply = await postJson(endpoint, path, body, auth);
  if (!validateResponse(reply)) {
    throw new ShadowdiffError(
      "PROVIDER_FAILED",
      `${endpoint.baseUrl}${path}: not an exchange response: ${formatSchemaErrors(validateResponse.errors)}`,
    );
  }
  return reply;
}
