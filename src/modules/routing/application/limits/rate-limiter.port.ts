/** Outcome of a rate-limit check. `retryAfterMs` is when the next request would be allowed if nothing else is admitted meanwhile. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Requests-per-minute limit per key (the integration id), over a sliding 60 s window.
 * Called on every proxied request: implementations answer in O(1) and, when they depend on a
 * shared store, fail open rather than fail the request.
 */
export abstract class RateLimiter {
  /** Counts one request against `key` only when it is allowed. A limit below 1 refuses everything. */
  abstract tryAcquire(key: string, limitPerMinute: number): Promise<RateLimitDecision>;
}
