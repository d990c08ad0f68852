import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/api/gate-verdict.js";
import { isShadowdiffError } from "../../src/contracts/errors.js";
import { GUARDRAILS, TARGETED_GUARDRAILS } from "../../src/gate/policy.js";
import { runs, settlesWithin } from "./bounded.js";
import { bytesOf, deepPolicyFiles, exoticTags, type PolicyFile, policyFiles } from "./policy-documents.js";

let directory: string;
let fileIndex = 0;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-fuzz-policy-"));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Written under names a message must quote exactly: spaces, non-ASCII, two extensions. */
async function policyFile(file: PolicyFile): Promise<string> {
  const names = ["gate.yaml", "gate policy.yml", "pölicy.json", "gate.yaml.json"];
  const path = join(directory, `${fileIndex}-${names[fileIndex % names.length]}`);
  fileIndex++;
  await writeFile(path, bytesOf(file));
  return path;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;

/** Why a loaded policy is not one the gate can apply, or undefined: written apart from the schema. */
function policyProblem(policy: unknown): string | undefined {
  if (!isPlainObject(policy)) return "not a plain object";
  const known = ["version", "guardrails", "min_pairs", "min_pairs_per_segment", "consecutive", "segments"];
  const stray = Object.keys(policy).find((key) => !known.includes(key));
  if (stray !== undefined) return `unknown key ${JSON.stringify(stray)}`;
  if (policy.version !== 1) return "version is not 1";
  for (const key of ["min_pairs", "min_pairs_per_segment"] as const) {
    const count = policy[key];
    if (!(typeof count === "number" && Number.isInteger(count) && count >= 1)) return `${key} is not a count`;
  }
  const consecutive = policy.consecutive;
  if (consecutive !== undefined) {
    if (!isPlainObject(consecutive)) return "consecutive is not a plain object";
    const { windows, minutes } = consecutive;
    if (!(typeof windows === "number" && Number.isInteger(windows) && windows >= 1 && windows <= 100))
      return "consecutive.windows out of 1..100";
    if (!(typeof minutes === "number" && Number.isFinite(minutes) && minutes > 0))
      return "consecutive.minutes not a positive number";
  }
  const railsProblem = guardrailsProblem(policy.guardrails);
  if (railsProblem !== undefined) return railsProblem;
  const segments = policy.segments;
  if (segments === undefined) return undefined;
  if (!Array.isArray(segments)) return "segments is not a list";
  for (const segment of segments) {
    if (!isPlainObject(segment)) return "a segment is not a plain object";
    if (typeof segment.by !== "string" || !/^[A-Za-z0-9_.-]+$/.test(segment.by)) return "a segment's by";
    const problem = guardrailsProblem(segment.guardrails);
    if (problem !== undefined) return `a segment's ${problem}`;
  }
  return undefined;
}

function guardrailsProblem(guardrails: unknown): string | undefined {
  if (!isPlainObject(guardrails)) return "guardrails is not a plain object";
  for (const [name, value] of Object.entries(guardrails)) {
    if ((GUARDRAILS as readonly string[]).includes(name)) {
      if (!isLimit(value)) return `guardrails.${name} is not a limit`;
    } else if ((TARGETED_GUARDRAILS as readonly string[]).includes(name)) {
      if (!isPlainObject(value)) return `guardrails.${name} is not a plain object`;
      for (const [target, targetLimit] of Object.entries(value)) {
        if (name === "score_delta" && !/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(target)) return "a score name";
        if (!isLimit(targetLimit)) return `guardrails.${name}.${target} is not a limit`;
      }
    } else return `unknown guardrail ${JSON.stringify(name)}`;
  }
  return undefined;
}

/** One finite bound, `max` or `min`, and at most an action. */
function isLimit(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value).sort();
  const bound = keys.filter((key) => key === "max" || key === "min");
  if (bound.length !== 1 || keys.some((key) => !["max", "min", "action"].includes(key))) return false;
  const number = value[bound[0] as string];
  if (typeof number !== "number" || !Number.isFinite(number)) return false;
  return value.action === undefined || value.action === "fail" || value.action === "warn";
}

/** loadPolicy's outcome: the policy, or a coded error that names the file; nothing else. */
async function load(path: string): Promise<{ policy: unknown } | { refusal: string }> {
  try {
    const loaded = await settlesWithin(`loadPolicy(${path})`, 5_000, loadPolicy(path));
    expect(loaded.source).toBe(path);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    return { policy: loaded.policy };
  } catch (error) {
    expect(isShadowdiffError(error)).toBe(true);
    if (!isShadowdiffError(error)) throw error;
    expect(error.code).toBe("INVALID_POLICY");
    expect(error.message.startsWith(`${path}: `)).toBe(true);
    expect(error.context.source).toBe(path);
    return { refusal: error.message };
  }
}

describe("policy loading of hostile documents", () => {
  it("loads a policy the gate can apply, or refuses with INVALID_POLICY naming the file", async () => {
    await fc.assert(
      fc.asyncProperty(policyFiles, async (file) => {
        const outcome = await load(await policyFile(file));
        if ("policy" in outcome) expect(policyProblem(outcome.policy)).toBeUndefined();
      }),
      runs(1551, 200),
    );
  }, 60_000);

  // FINDING: `!!set`, `!!omap`, `!!timestamp` and `!!binary ""` make the YAML parser build a Set,
  // a Map, a Date or a Buffer. Each is a JSON Schema `object` with no own properties to check, so
  // `guardrails: !!omap [{drift_rate: {max: 0.01}}]` loads as a policy with no guardrails at all,
  // and the gate promotes on nothing.
  it("refuses guardrails that YAML tags turn into a Set, Map, Date or Buffer", async () => {
    await fc.assert(
      fc.asyncProperty(exoticTags, async (file) => {
        const outcome = await load(await policyFile(file));
        if ("policy" in outcome) expect(policyProblem(outcome.policy)).toBeUndefined();
      }),
      runs(1552, 40),
    );
  });

  // FINDING: the YAML parser recurses; a document nested past about 800 levels overflows the stack.
  // The first such file is a located INVALID_POLICY, but the next overflow in the same process
  // aborts it: V8's regexp compiler runs out of room and Node dies with "FATAL ERROR:
  // RegExpCompiler Allocation failed - process out of memory" (exit 134). Two 2 KB files do it:
  // `shadowdiff release lint a.yaml b.yaml` with `[[[…]]]` 1,000 deep in each. Every document
  // shadowdiff reads goes through the same parser (rules, policy, manifests, pricing).
  it("refuses each of several deeply nested policy files in one process, and lives", async () => {
    const script = fileURLToPath(new URL("./load-policies.ts", import.meta.url));
    await fc.assert(
      fc.asyncProperty(fc.array(deepPolicyFiles, { minLength: 2, maxLength: 3 }), async (files) => {
        const paths = await Promise.all(files.map(policyFile));
        const { stdout } = await settlesWithin(
          "a process loading the policies",
          30_000,
          promisify(execFile)(process.execPath, ["--import", "tsx", script, ...paths], {
            maxBuffer: 1 << 20,
          }),
        );
        const outcomes = stdout
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as unknown);
        expect(outcomes).toEqual(paths.map((path) => ({ path, code: "INVALID_POLICY", located: true })));
      }),
      // Each case starts a process; the first failure is the report, not worth shrinking.
      runs(1553, 2, { endOnFailure: true }),
    );
  }, 60_000);
});
