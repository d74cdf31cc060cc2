import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectTestRedis, deleteKeys, FakeClock, RecordingLogger, uniquePrefix, unreachableRedis } from './limits-test-support';
import { rateLimiterContract } from './rate-limiter.contract';
import { RedisRateLimiter } from './redis-rate-limiter.adapter';

describe('RedisRateLimiter', () => {
  const keyPrefix = uniquePrefix();
  let redis: Redis;
  let other: Redis;

  beforeAll(async () => {
    [redis, other] = await Promise.all([connectTestRedis(), connectTestRedis()]);
  });

  afterAll(async () => {
    await deleteKeys(redis, keyPrefix);
    await Promise.all([redis.quit(), other.quit()]);
  });

  const limiterOn = (connection: Redis, clock: FakeClock, logger = new RecordingLogger()): RedisRateLimiter =>
    new RedisRateLimiter({ redis: connection, logger, now: clock.now, keyPrefix });

  rateLimiterContract((clock) => limiterOn(redis, clock), () => randomUUID());

  it('two gateway instances on one Redis share the limit: 2·N concurrent requests, exactly N admitted', async () => {
    const clock = new FakeClock();
    const [a, b] = [limiterOn(redis, clock), limiterOn(other, clock)];
    const key = randomUUID();
    const n = 50;

    const decisions = await Promise.all(Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? a : b).tryAcquire(key, n)));

    expect(decisions.filter((d) => d.allowed)).toHaveLength(n);
  });

  it('lets its counters expire once they are out of the window', async () => {
    const clock = new FakeClock();
    clock.advance(15_000);
    const key = randomUUID();
    await limiterOn(redis, clock).tryAcquire(key, 10);

    const ttl = await redis.pttl(`${keyPrefix}rpm:{${key}}:${Math.floor(clock.time / 60_000)}`);
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(106_000);
  });

  it('admits requests and warns once when Redis is unreachable', async () => {
    const down = unreachableRedis();
    const logger = new RecordingLogger();
    const limiter = limiterOn(down, new FakeClock(), logger);

    const decisions = await Promise.all([limiter.tryAcquire('k', 1), limiter.tryAcquire('k', 1), limiter.tryAcquire('k', 1)]);

    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/RPM limit: Redis unavailable .*failing open/);
    down.disconnect();
  });
});
