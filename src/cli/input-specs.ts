import { ShadowdiffError } from "../contracts/errors.js";

/** Where a command's input comes from, as `--source` / `--candidate` / `--noise` name it. */
export type InputKind = "file" | "otlp" | "release" | "topic";

export interface InputSpec {
  readonly kind: InputKind;
  /** The path, manifest path or topic name after the `kind:` prefix. */
  readonly value: string;
  /** As given, for messages. */
  readonly spec: string;
}

const KINDS: readonly InputKind[] = ["file", "otlp", "release", "topic"];

/**
 * Reads `kind:VALUE` specs, the one way every command does. `allowed` are the kinds this flag
 * takes; `bare` says what a spec without a prefix is (`run` reads a bare path as a file), or
 * `undefined` to refuse it. A Windows drive (`C:\…`) is a bare path, not a scheme.
 */
export function parseInputSpecs(
  specs: readonly string[],
  flag: string,
  allowed: readonly InputKind[],
  options: { readonly bare?: InputKind; readonly otherwise: string },
): InputSpec[] {
  return specs.map((spec) => {
    const scheme = /^([a-z]+):/.exec(spec);
    const isDrive = /^[A-Za-z]:\\/.test(spec);
    if (scheme === null || isDrive) {
      if (options.bare !== undefined) return { kind: options.bare, value: spec, spec };
    } else {
      const kind = KINDS.find((candidate) => candidate === scheme[1]);
      if (kind !== undefined && allowed.includes(kind)) {
        return { kind, value: spec.slice(kind.length + 1), spec };
      }
    }
    throw new ShadowdiffError("BAD_USAGE", `${flag} ${spec}: ${options.otherwise}`);
  });
}
