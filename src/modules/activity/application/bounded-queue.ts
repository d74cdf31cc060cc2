/**
 * A FIFO with a fixed capacity on a ring buffer: every operation is O(1) per item, and
 * adding to a full queue evicts the oldest items.
 */
export class BoundedQueue<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer (got ${capacity})`);
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends `item`; returns how many old items were evicted to make room (0 or 1). */
  push(item: T): number {
    if (this.count === this.capacity) {
      this.slots[this.head] = item;
      this.head = (this.head + 1) % this.capacity;
      return 1;
    }
    this.slots[(this.head + this.count) % this.capacity] = item;
    this.count++;
    return 0;
  }

  /** Removes and returns up to `n` of the oldest items, oldest first. */
  take(n: number): T[] {
    const taken: T[] = [];
    while (taken.length < n && this.count > 0) {
      taken.push(this.slots[this.head] as T);
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    return taken;
  }

  /**
   * Puts `items` (oldest first) back in front of everything queued, as they are older. Returns
   * how many did not fit: those are the oldest of `items`, and are not kept.
   */
  putBack(items: readonly T[]): number {
    const evicted = Math.max(0, items.length + this.count - this.capacity);
    for (let i = items.length - 1; i >= evicted; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.slots[this.head] = items[i];
      this.count++;
    }
    return evicted;
  }
}
