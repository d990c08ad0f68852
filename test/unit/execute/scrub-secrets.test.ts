import { describe, expect, it } from "vitest";
import { displayUrl } from "../../../src/contracts/display-url.js";
import { scrubSecrets } from "../../../src/execute/scrub-secrets.js";

describe("scrubSecrets", () => {
  it("removes known values, authorization-shaped strings, key shapes and URL credentials", () => {
    const cases: [string, string][] = [
      [
        "Incorrect API key provided: sk-proj-abcdefghijklmnop1234.",
        "Incorrect API key provided: <redacted>.",
      ],
      ["Authorization: Bearer abc.def.ghi-123", "Authorization: Bearer <redacted>"],
      ['{"x-api-key": "k-9f8e7d6c"}', '{"x-api-key": "<redacted>"}'],
      ["api_key=abcd1234&model=x", "api_key=<redacted>&model=x"],
      [
        "see https://user:pa55@gw.example/v1?key=zz9 now",
        "see https://<redacted>@gw.example/v1?<redacted> now",
      ],
    ];
    for (const [input, expected] of cases) expect(scrubSecrets(input)).toBe(expected);
    expect(scrubSecrets("the key was custom-secret-value, really", ["custom-secret-value"])).toBe(
      "the key was <redacted>, really",
    );
  });

  it("leaves ordinary provider text alone", () => {
    const text = "model gpt-4o-2024-08-06 not found; rate limit 429, retry after 2 s (request req_123)";
    expect(scrubSecrets(text)).toBe(text);
  });

  it("is linear on hostile input", () => {
    const hostile = `${"Bearer ".repeat(50_000)}${"a".repeat(200_000)}`;
    const started = performance.now();
    scrubSecrets(hostile);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("names an endpoint by scheme, host and path only", () => {
    expect(displayUrl("https://u:p@gw.example:8443/openai/?key=1#x")).toBe("https://gw.example:8443/openai");
  });
});
