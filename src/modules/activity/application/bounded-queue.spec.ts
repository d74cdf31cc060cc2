import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('hands items back oldest first, in batches', () => {
    const q = new BoundedQueue<number>(5);
    [1, 2, 3, 4].forEach((n) => q.push(n));
    expect(q.take(3)).toEqual([1, 2, 3]);
    expect(q.take(3)).toEqual([4]);
    expect(q.size).toBe(0);
  });

  it('evicts the oldest item when full, across the ring boundary', () => {
    const q = new BoundedQueue<number>(3);
    const evicted = [1, 2, 3, 4, 5].map((n) => q.push(n));
    expect(evicted).toEqual([0, 0, 0, 1, 1]);
    expect(q.take(10)).toEqual([3, 4, 5]);
  });

  it('puts items back in front of newer ones', () => {
    const q = new BoundedQueue<number>(6);
    [1, 2, 3, 4].forEach((n) => q.push(n));
    const batch = q.take(2);
    q.push(5);
    expect(q.putBack(batch)).toBe(0);
    expect(q.take(10)).toEqual([1, 2, 3, 4, 5]);
  });

  it('when putting back overflows, the oldest of the returned items are the ones not kept', () => {
    const q = new BoundedQueue<number>(4);
    [1, 2, 3].forEach((n) => q.push(n));
    const batch = q.take(3);
    [4, 5, 6].forEach((n) => q.push(n));
    expect(q.putBack(batch)).toBe(2);
    expect(q.take(10)).toEqual([3, 4, 5, 6]);
  });

  it('refuses a capacity below one', () => {
    expect(() => new BoundedQueue<number>(0)).toThrow(RangeError);
  });
});
