/**
 * A URL for messages: scheme, host, port and path, without user info, query or fragment, which
 * may carry credentials (`user:pass@`, `?key=`) and would make `…?x=1/db` of a store location.
 * Used for the store's location and for provider endpoints alike.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//").replace(/[?#].*$/, "");
  }
}
