/** The offsets one unit (a trace, or a joined pair of traces) was read from, per partition. */
interface Extent {
  low: bigint;
  high: bigint;
}

interface Hold {
  readonly extents: Map<number, Extent>;
  /** Its output (pair, unpaired row or dead letter) was acknowledged by the store. */
  stored: boolean;
}

/**
 * What an OTLP consumer may commit. A trace's spans come in several messages on several
 * partitions, and partitions commit independently; so committing each partition only below its
 * oldest incomplete trace is not enough: a trace already stored could then have its first
 * messages committed on one partition and its last ones not on another, and a restart would
 * re-read half of it and store a wrong, partial record over the right one. The rule kept here is
 * stronger: after a restart, every unit is read again whole or not at all. A unit still held
 * (assembling, waiting for its partner, or stored but straddling a commit point) keeps every
 * partition it touches at or below its lowest offset there; a stored unit is let go once all of
 * its messages lie below the commit points. Pure: offsets and partitions in, offsets out.
 */
export class TraceHolds {
  private readonly holds = new Map<string, Hold>();
  private sequence = 0;

  get size(): number {
    return this.holds.size;
  }

  /** A message at `offset` of `partition` holds part of `unit` (a trace being assembled). */
  touch(unit: string, partition: number, offset: bigint): void {
    let hold = this.holds.get(unit);
    if (hold === undefined) {
      hold = { extents: new Map(), stored: false };
      this.holds.set(unit, hold);
    }
    const extent = hold.extents.get(partition);
    if (extent === undefined) hold.extents.set(partition, { low: offset, high: offset });
    else {
      if (offset < extent.low) extent.low = offset;
      if (offset > extent.high) extent.high = offset;
    }
  }

  /**
   * The trace left the assembler: its hold moves to a fresh unit id, so a late span of the same
   * trace id starts a new hold instead of growing one that may already be stored.
   */
  detach(unit: string): string {
    const id = `${unit}#${++this.sequence}`;
    const hold = this.holds.get(unit) ?? { extents: new Map(), stored: false };
    this.holds.delete(unit);
    this.holds.set(id, hold);
    return id;
  }

  /** Two units became one output (a pair): held, and let go, together. */
  merge(units: readonly string[]): string {
    const id = `pair#${++this.sequence}`;
    const merged: Hold = { extents: new Map(), stored: false };
    for (const unit of units) {
      const hold = this.holds.get(unit);
      this.holds.delete(unit);
      for (const [partition, extent] of hold?.extents ?? []) {
        const known = merged.extents.get(partition);
        if (known === undefined) merged.extents.set(partition, { ...extent });
        else {
          if (extent.low < known.low) known.low = extent.low;
          if (extent.high > known.high) known.high = extent.high;
        }
      }
    }
    this.holds.set(id, merged);
    return id;
  }

  /** The store acknowledged these units' output. */
  stored(units: readonly string[]): void {
    for (const unit of units) {
      const hold = this.holds.get(unit);
      if (hold !== undefined) hold.stored = true;
    }
  }

  /** Where a unit was first read (its lowest offset on its lowest partition), to name in a dead letter. */
  origin(unit: string): { readonly partition: number; readonly offset: bigint } | undefined {
    const extents = [...(this.holds.get(unit)?.extents ?? [])].sort(([a], [b]) => a - b);
    const first = extents[0];
    return first === undefined ? undefined : { partition: first[0], offset: first[1].low };
  }

  /** Drops what a partition's new owner will read (it was revoked). */
  forget(partition: number): void {
    for (const [unit, hold] of this.holds) if (hold.extents.has(partition)) this.holds.delete(unit);
  }

  /**
   * The offset each partition may be committed to, given the next offset past what was
   * acknowledged on each: lowered to the low end of every unit that must be read again whole.
   * Lowering one partition may leave another stored unit straddling, so it repeats until nothing
   * moves (each pass only lowers, to one of finitely many offsets). Stored units that end up
   * wholly below lets go.
   */
  commitPoints(acknowledged: ReadonlyMap<number, bigint>): Map<number, bigint> {
    const points = new Map(acknowledged);
    for (let moved = true; moved; ) {
      moved = false;
      for (const hold of this.holds.values()) {
        if (hold.stored && below(hold, points)) continue;
        for (const [partition, extent] of hold.extents) {
          const point = points.get(partition);
          if (point !== undefined && extent.low < point) {
            points.set(partition, extent.low);
            moved = true;
          }
        }
      }
    }
    for (const [unit, hold] of this.holds) if (hold.stored && below(hold, points)) this.holds.delete(unit);
    return points;
  }
}

function below(hold: Hold, points: ReadonlyMap<number, bigint>): boolean {
  for (const [partition, extent] of hold.extents) {
    const point = points.get(partition);
    if (point === undefined || extent.high >= point) return false;
  }
  return true;
}
