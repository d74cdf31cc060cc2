import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createLimits, Limits } from './create-limits';
import { InMemoryHealthTracker } from './in-memory-health-tracker.adapter';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.adapter';
import { connectTestRedis, deleteKeys, eventually, FakeClock, RecordingLogger, TEST_REDIS_URL, uniquePrefix } from './limits-test-support';
import { RedisHealthTracker } from './redis-health-tracker.adapter';
import { RedisRateLimiter } from './redis-rate-limiter.adapter';

describe('createLimits', () => {
  const keyPrefix = uniquePrefix();
  let opened: Limits[] = [];
  let cleaner: Redis;

  beforeAll(async () => {
    cleaner = await connectTestRedis();
  });

  afterEach(async () => {
    await Promise.all(opened.map((limits) => limits.close()));
    opened = [];
  });

  afterAll(async () => {
    await deleteKeys(cleaner, keyPrefix);
    await cleaner.quit();
  });

  function onRedis(clock: FakeClock, logger = new RecordingLogger()): Limits {
    const limits = createLimits({ redisUrl: TEST_REDIS_URL, health: { failureThreshold: 2 }, now: clock.now, logger, keyPrefix, healthChannel: `${keyPrefix}health` });
    opened.push(limits);
    return limits;
  }

  it('keeps limits in the process without REDIS_URL', async () => {
    const limits = createLimits({ health: {}, logger: new RecordingLogger() });
    await limits.ready;

    expect(limits.rateLimiter).toBeInstanceOf(InMemoryRateLimiter);
    expect(limits.health).toBeInstanceOf(InMemoryHealthTracker);
    await limits.close();
  });

  it('shares RPM limits and health between instances with REDIS_URL', async () => {
    const clock = new FakeClock();
    const logger = new RecordingLogger();
    const [a, b] = [onRedis(clock, logger), onRedis(clock, logger)];
    await Promise.all([a.ready, b.ready]);
    expect(logger.warnings).toEqual([]);
    expect(a.rateLimiter).toBeInstanceOf(RedisRateLimiter);
    expect(a.health).toBeInstanceOf(RedisHealthTracker);
    const id = randomUUID();

    const decisions = await Promise.all([a.rateLimiter.tryAcquire(id, 3), b.rateLimiter.tryAcquire(id, 3), a.rateLimiter.tryAcquire(id, 3), b.rateLimiter.tryAcquire(id, 3)]);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);

    await a.health.recordFailure(id, { authFailure: false, message: 'timeout' });
    await a.health.recordFailure(id, { authFailure: false, message: 'timeout' });
    await eventually(() => b.health.isCoolingDown(id));
  });

  it('boots without waiting on an unreachable Redis and admits requests', async () => {
    const logger = new RecordingLogger();
    const limits = createLimits({ redisUrl: 'redis://127.0.0.1:1', health: {}, logger, keyPrefix, readyTimeoutMs: 50 });
    opened.push(limits);

    await limits.ready;

    expect(await limits.rateLimiter.tryAcquire('k', 1)).toEqual({ allowed: true });
    expect(limits.health.isAvailable('k')).toBe(true);
    expect(logger.warnings.some((w) => w.includes('not yet listening'))).toBe(true);
  });
});
