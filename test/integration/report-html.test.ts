import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/render/report-html.js";
import { example, report, reportData, withSegmentValues } from "../unit/render/report-data.js";

/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core.
 * The page must render with no console errors and no network requests, show the verdict and
 * the key numbers, and a screenshot is kept (reports/report-html.png) as a test artifact.
 */
const execute = promisify(execFile);
const CHROMIUM = process.env.SHADOWDIFF_CHROMIUM ?? "/usr/bin/chromium";
let html: string;
let store: string;

beforeAll(async () => {
  const directory = await mkdtemp(join(tmpdir(), "shadowdiff-html-"));
  store = `chdb:${join(directory, "store")}`;
  await execute("bash", ["scripts/demo.sh", "--format", "none"], {
    env: { ...process.env, SHADOWDIFF_STORE: store },
  });
  html = join(directory, "report.html");
  await execute("node", [
    "bin/shadowdiff.js",
    "report",
    "--candidate",
    "support-agent@1.5.0-rc.1",
    "--by",
    "tenant,intent",
    "--policy",
    "fixtures/releases/gate.yaml",
    "--format",
    "html",
    "--out",
    html,
    "--store",
    store,
  ]);
});

/**
 * Net drift of the model upgrade as the generator's oracle gives it (strict, as fixtures/rules.yaml
 * says): over requests where the candidate did not fail, the pairs whose category is a drift
 * category while the A/A's is not, less the A/A's the other way round, over those requests.
 */
async function netDriftOfOracle(): Promise<number> {
  const oracle = JSON.parse(await readFile("fixtures/captures/expected-categories.json", "utf8")) as Record<
    string,
    { strict: Record<string, string> }
  >;
  const drift = new Set(["refusal_flip", "outcome_mismatch", "tool_sequence_drift", "args_drift"]);
  const aa = oracle["aa.jsonl"]?.strict ?? {};
  let pairs = 0;
  let net = 0;
  for (const [id, category] of Object.entries(oracle["candidate-model-upgrade.jsonl"]?.strict ?? {})) {
    if (category === "candidate_error") continue;
    pairs++;
    net += Number(drift.has(category)) - Number(drift.has(aa[id] ?? ""));
  }
  return net / pairs;
}

describe("report --format html", () => {
  it("renders in headless Chromium with no console errors and the key numbers in the DOM", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("request", (request) => {
        if (!request.url().startsWith("file:")) requests.push(request.url());
      });
      await page.goto(`file://${resolve(html)}`);
      expect(await page.textContent("#verdict")).toBe("verdict: fail");
      // Net drift of the regressed candidate, from the generator's oracle (see netDriftOfOracle).
      expect(await page.textContent("#drift-rate")).toBe(
        `+${(100 * (await netDriftOfOracle())).toFixed(1)} pt`,
      );
      expect(await page.textContent("#tools")).toContain("escalate_to_human");
      // Task success from the fixture records and the rules file's check, both sides, in the page.
      expect(await page.textContent("#scores")).toContain("task_success");
      expect(await page.textContent("#scores")).toContain("refund_has_currency");
      expect(await page.textContent("#tools")).toContain("refund_order");
      expect(await page.textContent("#release-diff")).toContain(
        "model: openai/gpt-4o-2024-08-06 → openai/gpt-4.1-2025-04-14",
      );
      // Both sides' CDFs, one point per level, with the sample they come from and its DKW band.
      for (const chart of ["latency cdf", "cost cdf"]) {
        const lines = page.locator(`svg[aria-label='${chart}'] polyline`);
        expect(await lines.count()).toBe(2);
        const points = ((await lines.first().getAttribute("points")) ?? "").split(" ");
        expect(points).toHaveLength(42);
      }
      // The fixture's tool arguments carry customers' e-mail addresses: the page shows none.
      const body = (await page.textContent("body")) ?? "";
      expect(body).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]+/);
      expect(body).toContain("<email>");
      expect(await page.textContent("#distributions")).toMatch(
        /uniform sample of \d+ pairs .* within ±\d+\.\d% of the one drawn \(DKW\)/,
      );
      // Divergent pairs show both step lists aligned, the differing call highlighted.
      expect(await page.locator(".example table.steps").count()).toBeGreaterThan(5);
      const changed = page.locator(".example tr.changed").first();
      expect(await changed.textContent()).toContain("refund_order");
      await mkdir("reports", { recursive: true });
      await page.screenshot({ path: "reports/report-html.png", fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
    expect((await readFile("reports/report-html.png")).length).toBeGreaterThan(10_000);
  });

  it("fits an 800 px wide window without scrolling sideways, and shows what failed pairs answered", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage({ viewport: { width: 800, height: 1200 } });
      await page.goto(`file://${resolve(html)}`);
      const width = await page.evaluate<number>("document.documentElement.scrollWidth");
      expect(width).toBeLessThanOrEqual(800);
      // The fixture's candidate_error pairs timed out: the example shows the baseline's answer and the error.
      const failed = page.locator(".example[data-category='candidate_error']").first();
      expect(await failed.locator(".answers").textContent()).toContain(
        "provider did not answer within 30000 ms",
      );
      const refused = page.locator(".example[data-category='refusal_flip']").first();
      expect(await refused.locator(".answers").textContent()).toMatch(/refused/);
    } finally {
      await browser.close();
    }
  });

  it("hostile labels and long unbroken values wrap instead of widening the page", async () => {
    const built = report(
      withSegmentValues(reportData(), (segment) => `${segment}-${"x".repeat(400)}|<b>\n${"y".repeat(200)}`),
    );
    const long = "z".repeat(3000);
    const page = renderHtml(
      {
        ...built,
        examples: {
          candidate_error: [example({ request_id: `req-${long}`, reason: long })],
          args_drift: [
            example({
              alignment: "~",
              baseline_steps: [{ name: "refund_order", turn: 0, args: { blob: long } }],
              candidate_steps: [{ name: "refund_order", turn: 0, args: { blob: `${long}!` } }],
              baseline_answer: { output: long, refusal: false, error: null },
            }),
          ],
        },
      },
      null,
      null,
    );
    const file = join(await mkdtemp(join(tmpdir(), "shadowdiff-hostile-")), "hostile.html");
    await writeFile(file, page);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const tab = await browser.newPage({ viewport: { width: 800, height: 1200 } });
      await tab.goto(`file://${file}`);
      expect(await tab.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(800);
    } finally {
      await browser.close();
    }
  });

  it("run --format json scrubs its reports' examples as report does", async () => {
    const { stdout } = await execute(
      "node",
      [
        "bin/shadowdiff.js",
        "run",
        "--source",
        "file:fixtures/captures/baseline.jsonl",
        "--candidate",
        "file:fixtures/captures/candidate-model-upgrade.jsonl",
        "--store",
        `chdb:${join(await mkdtemp(join(tmpdir(), "shadowdiff-run-")), "store")}`,
        "--format",
        "json",
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    expect(stdout).toContain("<email>");
    expect(stdout).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]+/);
  });

  it("the terminal report of the fixture demo fits 120 columns", async () => {
    const { stdout } = await execute("node", [
      "bin/shadowdiff.js",
      "report",
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--by",
      "tenant,intent",
      "--store",
      store,
    ]);
    const long = stdout.split("\n").filter((line) => [...line].length > 120);
    expect(long).toEqual([]);
    expect(stdout).toContain("drift_rate");
  });
});
