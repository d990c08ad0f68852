/**
 * Scrubs credentials out of text a provider or gateway sent back, or a URL shadowdiff was given,
 * before it becomes an error, a stored reason, a report line or a harvested case. Providers echo
 * what they were sent (`Incorrect API key provided: sk-…`, a 401 body quoting the Authorization
 * header), and base URLs carry `user:pass@` or `?key=`.
 *
 * Every pattern is linear: single character classes under one quantifier, no nesting, so a
 * hostile body cannot make scrubbing slow.
 */
const PLACEHOLDER = "<redacted>";

const AUTHORIZATION = /\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi;
const KEY_ASSIGNMENT =
  /\b((?:x-)?api[-_]?key|access[-_]?token|auth[-_]?token|token|password|passwd|secret|client[-_]?secret)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]{4,}/gi;
// Provider key shapes: OpenAI/Anthropic `sk-…`, `sk-ant-…`, `sk-proj-…`; publishable/restricted keys.
const KEY_SHAPE = /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{12,}/g;
const URL_USERINFO = /\b(https?:\/\/)[^\s/?#@]+@/gi;
const URL_QUERY = /\b(https?:\/\/[^\s?#]+)\?[^\s#"']*/gi;

export function scrubSecrets(text: string, known: readonly (string | undefined)[] = []): string {
  let result = text;
  // Known values first and exactly: a key in an unexpected shape is still the key.
  for (const secret of known) {
    if (secret !== undefined && secret.length >= 6) result = result.split(secret).join(PLACEHOLDER);
  }
  return result
    .replace(URL_USERINFO, `$1${PLACEHOLDER}@`)
    .replace(URL_QUERY, `$1?${PLACEHOLDER}`)
    .replace(AUTHORIZATION, `$1$2${PLACEHOLDER}`)
    .replace(KEY_ASSIGNMENT, `$1$2${PLACEHOLDER}`)
    .replace(KEY_SHAPE, PLACEHOLDER);
}
