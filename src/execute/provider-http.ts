import { displayUrl } from "../contracts/display-url.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { scrubSecrets } from "./scrub-secrets.js";

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
  const { url, basic, queryValues } = requestUrl(endpoint.baseUrl, path);
  const where = `${displayUrl(endpoint.baseUrl)}${path}`;
  const secrets = [
    endpoint.apiKey,
    ...Object.values(authHeaders),
    ...Object.values(endpoint.headers ?? {}),
    basic,
    ...queryValues,
  ];
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(basic === undefined ? {} : { authorization: `Basic ${basic}` }),
        ...authHeaders,
        ...endpoint.headers,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
  } catch (cause) {
    throw new ShadowdiffError("PROVIDER_FAILED", `${where}: ${scrubSecrets(describe(cause), secrets)}`, {
      retriable: true,
    });
  }
  const text = await response.text();
  if (!response.ok) {
    const retriable = response.status === 429 || response.status >= 500;
    // The provider's own words, minus whatever credentials it echoed back.
    const error = new ShadowdiffError(
      "PROVIDER_FAILED",
      `${where}: HTTP ${response.status} ${scrubSecrets(providerMessage(text), secrets)}`,
      {
        retriable,
      },
    );
    const retryAfter = Number(response.headers.get("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter >= 0)
      Object.assign(error, { retryAfterSeconds: retryAfter });
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not quoted: the body may hold anything, credentials included.
    throw new ShadowdiffError(
      "PROVIDER_FAILED",
      `${where}: HTTP ${response.status} answered with a body that is not JSON`,
      {
        retriable: false,
      },
    );
  }
}

/**
 * The request URL: the path joins the base URL's path (a `?key=` query stays a query, after it),
 * and `user:pass@` moves into a Basic Authorization header, since fetch refuses URLs with
 * credentials and they must not appear in any message.
 */
function requestUrl(baseUrl: string, path: string): { url: string; basic?: string; queryValues: string[] } {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new ShadowdiffError("BAD_USAGE", `model base URL is not a URL: ${scrubSecrets(baseUrl)}`);
  }
  const basic =
    parsed.username === ""
      ? undefined
      : Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString(
          "base64",
        );
  parsed.username = "";
  parsed.password = "";
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}${path}`;
  // A gateway's `?key=` value is a credential too, wherever a provider echoes it.
  const queryValues = [...parsed.searchParams.values()];
  return basic === undefined
    ? { url: parsed.toString(), queryValues }
    : { url: parsed.toString(), basic, queryValues };
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
