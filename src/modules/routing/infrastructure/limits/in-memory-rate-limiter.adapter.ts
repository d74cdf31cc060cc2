import { RateLimitDecision, RateLimiter } from '../../application/limits/rate-limiter.port';
import { bucketOf, RATE_WINDOW_MS, waitBeforeNext } from '../../application/limits/sliding-window';

type Window = { bucket: number; previous: number; current: number; lastUsedAt: number };

const ALLOWED: RateLimitDecision = Object.freeze({ allowed: true });

/** A key unused this long has both its buckets out of the window: dropping it changes no decision. */
const IDLE_EVICTION_MS = 2 * RATE_WINDOW_MS;
const SWEEP_EVERY_MS = 1_000;

/**
 * Per-process RPM limit (no REDIS_URL, or one instance). The map is kept in least-recently-used
 * order (an entry is re-inserted when used), so evicting idle keys only ever looks at the head:
 * O(1) amortised per call, memory bounded by the keys used in the last two minutes.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async tryAcquire(key: string, limitPerMinute: number): Promise<RateLimitDecision> {
    const now = this.now();
    this.evictIdle(now);
    const window = this.touch(key, now);
    const { bucket, elapsedMs } = bucketOf(now);
    roll(window, bucket);
    const waitMs = waitBeforeNext(window.previous, window.current, elapsedMs, Math.floor(limitPerMinute));
    if (waitMs > 0) return { allowed: false, retryAfterMs: waitMs };
    window.current += 1;
    return ALLOWED;
  }

  /** Keys currently held (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private touch(key: string, now: number): Window {
    let window = this.windows.get(key);
    if (window) this.windows.delete(key);
    else window = { bucket: 0, previous: 0, current: 0, lastUsedAt: now };
    window.lastUsedAt = now;
    this.windows.set(key, window);
    return window;
  }

  private evictIdle(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const [key, window] of this.windows) {
      if (now - window.lastUsedAt <= IDLE_EVICTION_MS) return;
      this.windows.delete(key);
    }
  }
}

function roll(window: Window, bucket: number): void {
  if (window.bucket === bucket) return;
  window.previous = window.bucket === bucket - 1 ? window.current : 0;
  window.current = 0;
  window.bucket = bucket;
}
