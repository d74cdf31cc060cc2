/**
 * Two-bucket sliding window counter: the count of the previous fixed minute, weighted by how
 * much of it still overlaps the last 60 s, plus the count of the current minute. It assumes the
 * previous minute's requests were spread evenly, so right after a burst at the start of a minute
 * it is stricter than an exact sliding log; it never admits more than the limit in any bucket
 * pair and needs two integers per key. The Lua script in redis-rate-limiter.adapter.ts mirrors
 * this arithmetic; keep them in step.
 */
export const RATE_WINDOW_MS = 60_000;

/** The fixed bucket `now` (ms since epoch) falls in, and how far into it (ms). */
export function bucketOf(now: number, windowMs: number = RATE_WINDOW_MS): { bucket: number; elapsedMs: number } {
  const bucket = Math.floor(now / windowMs);
  return { bucket, elapsedMs: now - bucket * windowMs };
}

/**
 * 0 when one more request fits under `limit`, else the ms to wait until it would.
 * Integer arithmetic: `previous·(W−e)/W + current + 1 ≤ limit` multiplied through by W.
 */
export function waitBeforeNext(previous: number, current: number, elapsedMs: number, limit: number, windowMs: number = RATE_WINDOW_MS): number {
  if (limit < 1) return windowMs;
  if (previous * (windowMs - elapsedMs) + (current + 1) * windowMs <= limit * windowMs) return 0;
  if (current < limit) {
    // Still room in this bucket once enough of the previous one has slid out.
    const fitsAt = windowMs - Math.floor(((limit - current - 1) * windowMs) / previous);
    return Math.max(1, fitsAt - elapsedMs);
  }
  // This bucket is full: wait for the next one, where it becomes the weighted "previous".
  const fitsAtInNext = windowMs - Math.floor(((limit - 1) * windowMs) / current);
  return windowMs - elapsedMs + fitsAtInNext;
}
