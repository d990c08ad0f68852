import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core.
 * The page must render with no console errors and no network requests, show the verdict and
 * the key numbers, and a screenshot is kept (reports/report-html.png) as a test artifact.
 */
const execute = promisify(execFile);
const CHROMIUM = process.env.SHADOWDIFF_CHROMIUM ?? "/usr/bin/chromium";
let html: string;

beforeAll(async () => {
  const directory = await mkdtemp(join(tmpdir(), "shadowdiff-html-"));
  const store = `chdb:${join(directory, "store")}`;
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
      // Net drift of the regressed candidate: (123 − 11) / 586 paired requests (candidate-only minus A/A-only).
      expect(await page.textContent("#drift-rate")).toBe("+19.1 pt");
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
});
