import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffReleases, lintRelease, loadRelease, releaseContentId } from "../../../src/release/index.js";
import { runShadowdiff } from "../../support/cli.js";

const RELEASES = "fixtures/releases";

describe("release content id", () => {
  it("differs for two manifests that differ only in one tool parameter", async () => {
    const a = await loadRelease(`${RELEASES}/lint/param-a.yaml`);
    const b = await loadRelease(`${RELEASES}/lint/param-b.yaml`);
    expect(a.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.id).not.toBe(b.id);
  });

  it("is the same for the same content written as JSON with other key order, name and metadata", async () => {
    const yaml = await loadRelease(`${RELEASES}/lint/param-a.yaml`);
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-release-"));
    const json = join(directory, "same.json");
    await writeFile(
      json,
      JSON.stringify({
        tools: {
          send_email: {
            parameters: {
              properties: {
                body: { type: "string" },
                subject: { maxLength: 200, type: "string" },
                to: { type: "string" },
              },
              required: ["to", "subject", "body"],
              type: "object",
            },
          },
        },
        prompt: { text: "Send the e-mail the user asks for with send_email(to, subject, body)." },
        model: { snapshot: "gpt-4o-mini-2024-07-18", provider: "openai" },
        version: "9.9.9",
        name: "renamed",
        metadata: { commit: "abc" },
      }),
    );
    expect((await loadRelease(json)).id).toBe(yaml.id);
  });

  it("covers model, prompt, tools, memory and config", () => {
    const base = {
      model: { provider: "openai", snapshot: "gpt-4o-2024-08-06" },
      prompt: "p",
      tools: {},
      memory: null,
      config: {},
    };
    const ids = new Set([
      releaseContentId(base),
      releaseContentId({ ...base, model: { provider: "openai", snapshot: "gpt-4o-2024-11-20" } }),
      releaseContentId({ ...base, prompt: "p " }),
      releaseContentId({ ...base, tools: { t: { parameters: { type: "object" } } } }),
      releaseContentId({ ...base, memory: { schema_version: 2 } }),
      releaseContentId({ ...base, config: { temperature: 0 } }),
    ]);
    expect(ids.size).toBe(6);
  });
});

describe("release lint", () => {
  const lint = async (file: string) => lintRelease(await loadRelease(`${RELEASES}/${file}`));

  it("flags a floating model alias", async () => {
    expect((await lint("lint/floating-model.yaml")).map((f) => [f.rule, f.path])).toEqual([
      ["floating-model", "/model/snapshot"],
    ]);
  });

  it("flags a tool schema that is not valid JSON Schema", async () => {
    const findings = await lint("lint/invalid-tool-schema.yaml");
    expect(findings.map((f) => [f.rule, f.path])).toEqual([
      ["invalid-tool-schema", "/tools/get_order/parameters"],
    ]);
    expect(findings[0]?.message).toContain("/required must be array");
  });

  it("flags a parameter the prompt names but the schema lacks", async () => {
    const findings = await lint("lint/prompt-tool-mismatch.yaml");
    expect(findings.map((f) => f.rule)).toEqual(["prompt-tool-mismatch"]);
    expect(findings[0]?.message).toContain("refund_order has no parameter currency");
  });

  it("passes the clean manifest and the fixture releases", async () => {
    for (const file of [
      "lint/clean.yaml",
      "baseline.yaml",
      "candidate-model-upgrade.yaml",
      "candidate-prompt-tweak.yaml",
    ]) {
      expect(await lint(file), file).toEqual([]);
    }
  });

  it("accepts dated and revision pins and rejects bare names", () => {
    const at = (snapshot: string) =>
      lintRelease({
        id: "x",
        name: "n",
        version: "1",
        model: { provider: "p", snapshot },
        prompt: "",
        tools: {},
        memory: null,
        config: {},
        metadata: {},
        endpoint: {},
        source: "inline",
      }).length;
    expect([at("gpt-4o-2024-08-06"), at("claude-sonnet-4-5-20250929"), at("gemini-1.5-pro-002")]).toEqual([
      0, 0, 0,
    ]);
    expect([at("gpt-4o"), at("chatgpt-4o-latest"), at("claude-sonnet-4-5"), at("latest")]).toEqual([
      1, 1, 1, 1,
    ]);
  });
});

describe("release diff", () => {
  it("shows only the model pin for the model upgrade", async () => {
    const diff = diffReleases(
      await loadRelease(`${RELEASES}/baseline.yaml`),
      await loadRelease(`${RELEASES}/candidate-model-upgrade.yaml`),
    );
    expect(diff.model).toEqual({ from: "openai/gpt-4o-2024-08-06", to: "openai/gpt-4.1-2025-04-14" });
    expect(diff.prompt).toEqual([]);
    expect(diff.tools).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.config).toEqual([]);
    expect(diff.memory).toBeNull();
  });

  it("shows the changed prompt line for the prompt tweak, and a removed tool parameter", async () => {
    const baseline = await loadRelease(`${RELEASES}/baseline.yaml`);
    const tweak = diffReleases(baseline, await loadRelease(`${RELEASES}/candidate-prompt-tweak.yaml`));
    expect(tweak.model).toBeNull();
    expect(tweak.prompt.map((change) => [change.op, change.line])).toEqual([
      ["-", 1],
      ["+", 1],
    ]);
    const mismatch = diffReleases(baseline, await loadRelease(`${RELEASES}/lint/prompt-tool-mismatch.yaml`));
    expect(mismatch.tools.changed).toEqual([
      {
        name: "refund_order",
        description: false,
        parametersAdded: [],
        parametersRemoved: ["currency"],
        parametersChanged: [],
      },
    ]);
  });
});

describe("release loading errors", () => {
  it("names the file and JSON path of a schema-invalid manifest and of a missing tool file", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-release-"));
    const invalid = join(directory, "invalid.yaml");
    await writeFile(
      invalid,
      "name: x\nversion: 1\nmodel: { provider: openai }\nprompt: { text: hi }\ntools: {}\n",
    );
    await expect(loadRelease(invalid)).rejects.toThrow(
      `${invalid}: /model must have required property 'snapshot'`,
    );
    const missing = join(directory, "missing.yaml");
    await writeFile(
      missing,
      "name: x\nversion: 1\nmodel: { provider: openai, snapshot: gpt-4o-2024-08-06 }\nprompt: { text: hi }\ntools: { t: { file: nope.json } }\n",
    );
    await expect(loadRelease(missing)).rejects.toThrow(`${missing}: /tools/t/file: cannot read nope.json`);
  });
});

describe("a manifest's file references", () => {
  const manifest = (prompt: string) =>
    `name: x\nversion: 1\nmodel: { provider: openai, snapshot: gpt-4o-2024-08-06 }\nprompt: { file: ${JSON.stringify(prompt)} }\ntools: {}\n`;

  it("stay inside the manifest's folder: ../, absolute paths and symlinks out are refused unread", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-confine-"));
    await writeFile(join(directory, "secret.env"), "OPENAI_API_KEY=sk-test-not-a-real-key\n");
    const releases = join(directory, "releases");
    await mkdir(releases);
    await symlink(join(directory, "secret.env"), join(releases, "prompt.txt"));
    for (const reference of [
      "../secret.env",
      join(directory, "secret.env"),
      "/proc/self/environ",
      "prompt.txt",
    ]) {
      const path = join(releases, "candidate.yaml");
      await writeFile(path, manifest(reference));
      const error = await loadRelease(path).then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
      expect(error?.message, reference).toContain("a manifest may only reference files in its own folder");
      expect(error?.message).not.toContain("sk-test");
      const cli = await runShadowdiff(["release", "diff", path, path]);
      expect(cli.code).toBe(2);
      expect(cli.stdout + cli.stderr).not.toContain("sk-test");
    }
  });

  it("may reach further with an explicit root", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-root-"));
    await writeFile(join(directory, "shared-prompt.txt"), "You are a support agent.");
    await mkdir(join(directory, "releases"));
    const path = join(directory, "releases", "candidate.yaml");
    await writeFile(path, manifest("../shared-prompt.txt"));
    await expect(loadRelease(path)).rejects.toThrow(/outside/);
    expect((await loadRelease(path, { root: directory })).prompt).toBe("You are a support agent.");
  });

  it("never quote a tool file's text when it is not JSON", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-quote-"));
    await writeFile(join(directory, "tool.json"), "TOKEN=sk-live-should-not-print");
    const path = join(directory, "r.yaml");
    await writeFile(
      path,
      "name: x\nversion: 1\nmodel: { provider: openai, snapshot: gpt-4o-2024-08-06 }\nprompt: { text: hi }\ntools: { t: { file: tool.json } }\n",
    );
    const error = await loadRelease(path).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toContain("tool.json is not valid JSON");
    expect(error?.message).not.toContain("sk-live");
  });
});

describe("shadowdiff release (CLI)", () => {
  it("lint exits 1 with one line per finding, 0 when clean, 2 when unreadable", async () => {
    const bad = await runShadowdiff([
      "release",
      "lint",
      `${RELEASES}/lint/floating-model.yaml`,
      `${RELEASES}/lint/invalid-tool-schema.yaml`,
      `${RELEASES}/lint/prompt-tool-mismatch.yaml`,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.trim().split("\n")).toHaveLength(3);
    expect((await runShadowdiff(["release", "lint", `${RELEASES}/lint/clean.yaml`])).code).toBe(0);
    expect((await runShadowdiff(["release", "lint", "no-such.yaml"])).code).toBe(2);
  });

  it("lint over a release folder skips the gate policy kept there instead of calling it unreadable", async () => {
    const lint = await runShadowdiff([
      "release",
      "lint",
      `${RELEASES}/baseline.yaml`,
      `${RELEASES}/gate.yaml`,
      `${RELEASES}/candidate-prompt-tweak.yaml`,
    ]);
    expect(lint.code, lint.stdout).toBe(0);
    expect(lint.stdout).toContain(`${RELEASES}/gate.yaml: skipped: a gate policy, not a release manifest`);
    expect(lint.stdout).not.toMatch(/unreadable/);
  });

  it("hash prints the id; diff prints the model change", async () => {
    const hash = await runShadowdiff(["release", "hash", `${RELEASES}/baseline.yaml`]);
    expect(hash.stdout.trim()).toBe((await loadRelease(`${RELEASES}/baseline.yaml`)).id);
    const diff = await runShadowdiff([
      "release",
      "diff",
      `${RELEASES}/baseline.yaml`,
      `${RELEASES}/candidate-model-upgrade.yaml`,
    ]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain("model: openai/gpt-4o-2024-08-06 → openai/gpt-4.1-2025-04-14");
  });
});
