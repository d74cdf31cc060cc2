/** What every value past the bound is reported as. */
export const OVERFLOW_LABEL = 'other';

/**
 * Keeps a Prometheus label's cardinality bounded: the first `max` distinct values pass through
 * (cut to `maxLength` characters), every later one becomes `other`. A value seen once keeps its own
 * series for the life of the process, so a series never switches name.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly maxLength = 100,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('BoundedLabel: max must be an integer >= 1');
  }

  value(raw: string): string {
    const value = raw.length > this.maxLength ? raw.slice(0, this.maxLength) : raw;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OVERFLOW_LABEL;
    this.seen.add(value);
    return value;
  }

  /** Distinct values kept so far (at most `max`). */
  get size(): number {
    return this.seen.size;
  }
}
