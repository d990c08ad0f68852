/**
 * Joins two streams by key, reading them in lockstep. Captures of the same traffic are usually
 * written in the same order, so a record waits for its partner only briefly and memory stays
 * flat; out-of-order input still joins correctly, holding the gap in memory. Items left without
 * a partner at the end are reported, never dropped. Items without a key (invalid lines) pass
 * through on their side.
 */
export type JoinEvent<T> =
  | { readonly kind: "pair"; readonly left: T; readonly right: T }
  | { readonly kind: "unpaired"; readonly side: "left" | "right"; readonly item: T }
  | { readonly kind: "unkeyed"; readonly side: "left" | "right"; readonly item: T };

type KeyOf<T> = (item: T) => string | undefined;

interface Side<T> {
  readonly name: "left" | "right";
  readonly iterator: AsyncIterator<T>;
  readonly keyOf: KeyOf<T>;
  readonly waiting: Map<string, T>;
  done: boolean;
}

export async function* joinByKey<T>(
  left: AsyncIterator<T>,
  right: AsyncIterator<T>,
  keyOfLeft: KeyOf<T>,
  keyOfRight: KeyOf<T>,
): AsyncGenerator<JoinEvent<T>> {
  const sides: [Side<T>, Side<T>] = [
    { name: "left", iterator: left, keyOf: keyOfLeft, waiting: new Map(), done: false },
    { name: "right", iterator: right, keyOf: keyOfRight, waiting: new Map(), done: false },
  ];
  while (!sides[0].done || !sides[1].done) {
    for (const [index, side] of sides.entries()) {
      if (side.done) continue;
      const next = await side.iterator.next();
      if (next.done) {
        side.done = true;
        continue;
      }
      const key = side.keyOf(next.value);
      if (key === undefined) {
        yield { kind: "unkeyed", side: side.name, item: next.value };
        continue;
      }
      const other = sides[1 - index] as Side<T>;
      const partner = other.waiting.get(key);
      if (partner === undefined) {
        side.waiting.set(key, next.value);
        continue;
      }
      other.waiting.delete(key);
      yield index === 0
        ? { kind: "pair", left: next.value, right: partner }
        : { kind: "pair", left: partner, right: next.value };
    }
  }
  for (const side of sides)
    for (const item of side.waiting.values()) yield { kind: "unpaired", side: side.name, item };
}
