import { ShadowdiffError } from "../contracts/errors.js";

export interface ProviderEndpoint {
  readonly baseUrl: string;
  /** Read from the environment variable the release names; never logged or stored. */
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/**
 * One POST to a provider. Failures a retry can fix (429, 5xx, connection errors, timeouts) come
 * back retriable, with the server's Retry-After in seconds when it sent one; the rest do not.
 * Error messages carry the status and the provider's message, never the request or the key.
 */
export async function postJson(
  endpoint: ProviderEndpoint,
  path: string,
  body: unknown,
  authHeaders: Record<string, string>,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders, ...endpoint.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
  } catch (cause) {
    throw new ShadowdiffError("PROVIDER_FAILED", `${endpoint.baseUrl}${path}: ${describe(cause)}`, {
      retriable: true,
      cause,
    });
  }
  const text = await response.text();
  if (!response.ok) {
    const retriable = response.status === 429 || response.status >= 500;
    const error = new ShadowdiffError(
      "PROVIDER_FAILED",
      `${endpoint.baseUrl}${path}: HTTP ${response.status} ${providerMessage(text)}`,
      {
        retriable,
      },
    );
    const retryAfter = Number(response.headers.get("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter >= 0)
      Object.assign(error, { retryAfterSeconds: retryAfter });
    throw error;
  }
  return JSON.parse(text) as unknown;
}

function providerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    return body.error?.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Retries retriable failures with capped exponential backoff and full jitter, honouring a
 * server's Retry-After; other failures are thrown at once.
 */
export async function withRetries<T>(
  action: () => Promise<T>,
  options: { readonly retries: number; readonly baseMs: number; readonly maxMs: number },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ShadowdiffError) || !error.retriable || attempt >= options.retries) throw error;
      const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
      const backoff = Math.random() * Math.min(options.maxMs, options.baseMs * 2 ** attempt);
      await new Promise((resolve) =>
        setTimeout(resolve, retryAfter === undefined ? backoff : retryAfter * 1000),
      );
    }
  }
}
