import type { AttributeMap, Attributes, AttributeValue } from "./span.js";

/** Attributes held as a plain object (OTLP JSON, events, resources, tests). */
class MapAttributes implements Attributes {
  constructor(private readonly map: AttributeMap) {}

  get(key: string): AttributeValue | undefined {
    // The value first: most keys asked for are absent, and an absent key then costs one lookup.
    const value = this.map[key];
    return value !== undefined && Object.hasOwn(this.map, key) ? value : undefined;
  }

  keys(): readonly string[] {
    return Object.keys(this.map);
  }
}

export function attributesFromMap(map: AttributeMap): Attributes {
  return new MapAttributes(map);
}

/** Every attribute as a plain object, in key order (an event's body spreads them). */
export function attributeMap(attributes: Attributes): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const key of attributes.keys()) {
    const value = attributes.get(key) as AttributeValue;
    // defineProperty, not assignment: an attribute called __proto__ is data, not a prototype.
    if (key === "__proto__") Object.defineProperty(map, key, { value, enumerable: true });
    else map[key] = value;
  }
  return map;
}
