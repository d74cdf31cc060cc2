import { bucketOf, waitBeforeNext } from './sliding-window';

const W = 60_000;

describe('two-bucket sliding window', () => {
  it('places a time in its minute and how far into it', () => {
    expect(bucketOf(1_700_000_040_000 + 12_345)).toEqual({ bucket: 28_333_334, elapsedMs: 12_345 });
  });

  it('admits up to the limit in a fresh minute', () => {
    expect(waitBeforeNext(0, 4, 0, 5)).toBe(0);
    expect(waitBeforeNext(0, 5, 0, 5)).toBeGreaterThan(0);
  });

  it('weighs the previous minute by how much of it is still inside the last 60 s', () => {
    // 10 last minute, half of it still in the window: 5 count, so 5 more fit under 10.
    expect(waitBeforeNext(10, 4, W / 2, 10)).toBe(0);
    expect(waitBeforeNext(10, 5, W / 2, 10)).toBeGreaterThan(0);
  });

  it('asks to wait until enough of the previous minute has slid out', () => {
    // previous 10, current 5, limit 10: room for one more once previous·(W−e)/W ≤ 4, at e = 36 s.
    const wait = waitBeforeNext(10, 5, 30_000, 10);
    expect(wait).toBe(6_000);
    expect(waitBeforeNext(10, 5, 30_000 + wait, 10)).toBe(0);
    expect(waitBeforeNext(10, 5, 30_000 + wait - 1, 10)).toBeGreaterThan(0);
  });

  it('asks to wait into the next minute when the current one is full', () => {
    // current full (5/5) at e = 10 s: next minute, previous = 5, fits once 5·(W−e)/W ≤ 4, at e = 12 s.
    const wait = waitBeforeNext(0, 5, 10_000, 5);
    expect(wait).toBe(50_000 + 12_000);
    expect(waitBeforeNext(5, 0, 12_000, 5)).toBe(0);
    expect(waitBeforeNext(5, 0, 11_999, 5)).toBeGreaterThan(0);
  });

  it('refuses everything under a limit below 1', () => {
    expect(waitBeforeNext(0, 0, 0, 0)).toBe(W);
  });
});
