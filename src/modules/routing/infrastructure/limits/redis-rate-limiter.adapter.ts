import type { Redis } from 'ioredis';
import { RateLimitDecision, RateLimiter } from '../../application/limits/rate-limiter.port';
import { bucketOf, RATE_WINDOW_MS } from '../../application/limits/sliding-window';
import { FailOpenWarning, LimitsLogger } from './fail-open-warning';

/**
 * sliding-window.ts `waitBeforeNext`, atomically, plus the count. KEYS: previous bucket, current
 * bucket. ARGV: limit, elapsed ms into the current bucket, window ms. Returns 0 when allowed
 * (and counted), else the ms to wait. A bucket lives until the end of the next one.
 */
const RATE_LIMIT_LUA = `
local limit = tonumber(ARGV[1])
local elapsed = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
if limit < 1 then return window end
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * (window - elapsed) + (current + 1) * window <= limit * window then
  if redis.call('INCR', KEYS[2]) == 1 then
    redis.call('PEXPIRE', KEYS[2], 2 * window - elapsed + 1000)
  end
  return 0
end
if current < limit then
  return math.max(1, window - math.floor((limit - current - 1) * window / previous) - elapsed)
end
return window - elapsed + window - math.floor((limit - 1) * window / current)
`;

type RateLimitCommand = {
  keywayRateLimit(previousKey: string, currentKey: string, limit: number, elapsedMs: number, windowMs: number): Promise<number>;
};

const ALLOWED: RateLimitDecision = Object.freeze({ allowed: true });

export type RedisRateLimiterOptions = {
  /** Command connection. Create it with `enableOfflineQueue: false` and a short `commandTimeout` so a Redis outage fails fast (see create-limits.ts). */
  redis: Redis;
  logger: LimitsLogger;
  /** Clock of this instance; instances are assumed NTP-synced (skew of a few ms is negligible against a 60 s window). */
  now?: () => number;
  /** Prepended to every key, e.g. `keyway:`. */
  keyPrefix?: string;
};

/**
 * RPM limit shared by every instance on the same Redis: one EVALSHA per check (ioredis
 * `defineCommand`), atomic, so N instances together admit at most the limit. Keys are
 * `<prefix>rpm:{<key>}:<minute>`, the hash tag keeping both buckets of a key in one slot.
 *
 * If Redis cannot answer, the request is allowed and a warning logged: an RPM limit protects the
 * organization's provider quota, which the provider enforces anyway, so a Redis blip must not
 * take the proxy down with it (availability over strictness).
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly commands: RateLimitCommand;
  private readonly now: () => number;
  private readonly keyPrefix: string;
  private readonly warning: FailOpenWarning;

  constructor({ redis, logger, now = Date.now, keyPrefix = 'keyway:' }: RedisRateLimiterOptions) {
    redis.defineCommand('keywayRateLimit', { lua: RATE_LIMIT_LUA, numberOfKeys: 2 });
    // defineCommand adds the method at run time; this is its type.
    this.commands = redis as unknown as RateLimitCommand;
    this.now = now;
    this.keyPrefix = keyPrefix;
    this.warning = new FailOpenWarning(logger, 'RPM limit', now);
  }

  async tryAcquire(key: string, limitPerMinute: number): Promise<RateLimitDecision> {
    const { bucket, elapsedMs } = bucketOf(this.now());
    const base = `${this.keyPrefix}rpm:{${key}}:`;
    let waitMs: number;
    try {
      waitMs = await this.commands.keywayRateLimit(base + (bucket - 1), base + bucket, Math.floor(limitPerMinute), elapsedMs, RATE_WINDOW_MS);
    } catch (error) {
      this.warning.failed(error);
      return ALLOWED;
    }
    this.warning.succeeded();
    return waitMs > 0 ? { allowed: false, retryAfterMs: waitMs } : ALLOWED;
  }
}
