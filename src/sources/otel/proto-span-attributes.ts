import { attributesFromMap } from "./attribute-map.js";
import type { ProtoKeyValue } from "./otlp-messages.js";
import { anyValue, attributesOf } from "./proto-attributes.js";
import type { Attributes, AttributeValue } from "./span.js";

/** A list of attribute keys and where each one's value sits (its last place, when sent twice). */
interface KeyShape {
  /** The pairs' keys, in order, null keys included: what a span's pairs are compared with. */
  readonly sent: readonly (string | null)[];
  readonly keys: readonly string[];
  readonly places: ReadonlyMap<string, number>;
}

/**
 * Span attributes kept as the decoded key/value list, each value converted when it is read (see
 * Attributes), found through the place map of a recent span with the same keys in the same
 * order: an instrumentation gives every span of one kind the same attribute names, the mapping
 * asks for many names that are absent (each convention's in turn), and a map of constant key
 * strings answers those without comparing every key of the list.
 */
class PairAttributes implements Attributes {
  constructor(
    private readonly pairs: readonly ProtoKeyValue[],
    private readonly shape: KeyShape,
  ) {}

  get(key: string): AttributeValue | undefined {
    const place = this.shape.places.get(key);
    return place === undefined ? undefined : anyValue((this.pairs[place] as ProtoKeyValue).value);
  }

  keys(): readonly string[] {
    return this.shape.keys;
  }
}

/** A handful of span kinds (agent, model call, tool, HTTP …) per instrumented service. */
const MAX_SHAPES = 8;
const shapes: KeyShape[] = [];

function shapeOf(pairs: readonly ProtoKeyValue[]): KeyShape {
  for (let at = 0; at < shapes.length; at++) {
    const shape = shapes[at] as KeyShape;
    const sent = shape.sent;
    if (sent.length !== pairs.length) continue;
    let index = 0;
    while (index < sent.length && (pairs[index] as ProtoKeyValue).key === sent[index]) index++;
    if (index === sent.length) return shape;
  }
  const sent: (string | null)[] = [];
  const keys: string[] = [];
  const places = new Map<string, number>();
  for (let index = 0; index < pairs.length; index++) {
    const key = (pairs[index] as ProtoKeyValue).key;
    sent.push(key);
    if (key === null) continue;
    if (!places.has(key)) keys.push(key);
    places.set(key, index);
  }
  const shape = { sent, keys, places };
  if (shapes.length === MAX_SHAPES) shapes.pop();
  shapes.unshift(shape);
  return shape;
}

/**
 * A span's attributes. Only lists of scalar values are kept: a bytes value is a view into the
 * request's buffer, which a caller may reuse, so a list holding one (at any depth) is converted
 * at once.
 */
export function spanAttributes(pairs: readonly ProtoKeyValue[]): Attributes {
  for (let index = 0; index < pairs.length; index++) {
    const value = (pairs[index] as ProtoKeyValue).value;
    if (
      value !== null &&
      (value.bytesValue !== null || value.arrayValue !== null || value.kvlistValue !== null)
    )
      return attributesFromMap(attributesOf(pairs));
  }
  return new PairAttributes(pairs, shapeOf(pairs));
}
