import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HealthConfig } from '../../application/limits/health-tracker.port';
import { healthTrackerContract } from './health-tracker.contract';
import { connectTestRedis, deleteKeys, eventually, FakeClock, RecordingLogger, uniquePrefix, unreachableRedis } from './limits-test-support';
import { RedisHealthTracker } from './redis-health-tracker.adapter';

const RETRYABLE = { authFailure: false, message: 'connect ECONNREFUSED' };

describe('RedisHealthTracker', () => {
  const keyPrefix = uniquePrefix();
  const channel = `${keyPrefix}health`;
  let redis: Redis;
  let subscriber: Redis;
  let opened: Array<{ tracker: RedisHealthTracker; connections: Redis[] }> = [];

  beforeAll(async () => {
    [redis, subscriber] = await Promise.all([connectTestRedis(), connectTestRedis()]);
  });

  afterEach(async () => {
    for (const { tracker, connections } of opened) {
      await tracker.close();
      await Promise.all(connections.map((c) => c.quit()));
    }
    opened = [];
  });

  afterAll(async () => {
    await deleteKeys(redis, keyPrefix);
    await Promise.all([redis.quit(), subscriber.quit()]);
  });

  const trackerOn = (clock: FakeClock, config?: Partial<HealthConfig>, logger = new RecordingLogger()): RedisHealthTracker =>
    new RedisHealthTracker({ redis, subscriber, logger, config, now: clock.now, keyPrefix, channel });

  /** A gateway instance of its own: its own command and subscriber connections, listening. */
  async function instance(clock: FakeClock, config?: Partial<HealthConfig>): Promise<RedisHealthTracker> {
    const connections = await Promise.all([connectTestRedis(), connectTestRedis()]);
    const tracker = new RedisHealthTracker({ redis: connections[0], subscriber: connections[1], logger: new RecordingLogger(), config, now: clock.now, keyPrefix, channel });
    opened.push({ tracker, connections });
    await tracker.start();
    return tracker;
  }

  describe('on one instance', () => {
    healthTrackerContract((clock, config) => trackerOn(clock, config), () => randomUUID());
  });

  it('a cooldown started on instance A keeps instance B from using the integration', async () => {
    const clock = new FakeClock();
    const [a, b] = await Promise.all([instance(clock), instance(clock)]);
    const id = randomUUID();

    for (let i = 0; i < 3; i += 1) await a.recordFailure(id, RETRYABLE);

    await eventually(() => b.isCoolingDown(id));
    expect(b.cooldownUntil(id)).toBe(clock.time + 30_000);
    expect(b.snapshot(id)).toMatchObject({ status: 'cooling_down', consecutiveFailures: 3, lastError: RETRYABLE.message });
  });

  it('failures on different instances add up to the threshold', async () => {
    const clock = new FakeClock();
    const [a, b] = await Promise.all([instance(clock), instance(clock)]);
    const id = randomUUID();

    await a.recordFailure(id, RETRYABLE);
    await b.recordFailure(id, RETRYABLE);
    const third = await a.recordFailure(id, RETRYABLE);

    expect(third).toMatchObject({ status: 'cooling_down', changed: true });
    await eventually(() => b.isCoolingDown(id));
  });

  it('concurrent failures on two instances start one cooldown, seen as a transition by exactly one caller', async () => {
    const clock = new FakeClock();
    const [a, b] = await Promise.all([instance(clock), instance(clock)]);
    const id = randomUUID();

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).recordFailure(id, RETRYABLE)));

    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(Math.max(...results.map((r) => r.consecutiveFailures))).toBe(10);
  });

  it('a refused credential on A makes the integration failing on B, until a rotation on B clears it everywhere', async () => {
    const clock = new FakeClock();
    const [a, b] = await Promise.all([instance(clock), instance(clock)]);
    const id = randomUUID();

    await a.recordFailure(id, { authFailure: true, message: '401 invalid x-api-key' });
    await eventually(() => !b.isAvailable(id));
    expect(b.snapshot(id).status).toBe('failing');

    await b.reset(id);
    expect(b.isAvailable(id)).toBe(true);
    await eventually(() => a.isAvailable(id));
  });

  it('a success on B, once B has heard of the failures on A, resets the shared counter', async () => {
    const clock = new FakeClock();
    const [a, b] = await Promise.all([instance(clock), instance(clock)]);
    const id = randomUUID();
    await a.recordFailure(id, RETRYABLE);
    await a.recordFailure(id, RETRYABLE);
    await eventually(() => b.snapshot(id).consecutiveFailures === 2);

    await b.recordSuccess(id);
    const next = await a.recordFailure(id, RETRYABLE);

    expect(next).toMatchObject({ status: 'healthy', consecutiveFailures: 1, changed: false });
  });

  it('an instance that starts later loads the integrations already cooling down or failing', async () => {
    const clock = new FakeClock();
    const a = await instance(clock);
    const [cooling, failing] = [randomUUID(), randomUUID()];
    for (let i = 0; i < 3; i += 1) await a.recordFailure(cooling, RETRYABLE);
    await a.recordFailure(failing, { authFailure: true, message: '403' });

    const late = await instance(clock);

    expect(late.isCoolingDown(cooling)).toBe(true);
    expect(late.snapshot(failing).status).toBe('failing');
  });

  it('a state older than the one held is ignored', async () => {
    const clock = new FakeClock();
    const b = await instance(clock);
    const id = randomUUID();
    await b.recordFailure(id, { authFailure: true, message: '401' });
    await redis.publish(channel, JSON.stringify({ id, s: 'healthy', f: 0, u: 0, k: 0, v: 1, c: 0 }));
    await redis.publish(channel, JSON.stringify({ id: 'marker', s: 'healthy', f: 1, u: 0, k: 0, v: 1, c: 0 }));

    await eventually(() => b.snapshot('marker').consecutiveFailures === 1);
    expect(b.snapshot(id).status).toBe('failing');
  });

  it('keeps a failing state in Redis without expiry and other states with one', async () => {
    const clock = new FakeClock();
    const tracker = trackerOn(clock);
    const [cooling, failing] = [randomUUID(), randomUUID()];
    for (let i = 0; i < 3; i += 1) await tracker.recordFailure(cooling, RETRYABLE);
    await tracker.recordFailure(failing, { authFailure: true, message: '401' });

    expect(await redis.pttl(`${keyPrefix}health:${cooling}`)).toBeGreaterThan(23 * 60 * 60 * 1000);
    expect(await redis.pttl(`${keyPrefix}health:${failing}`)).toBe(-1);
  });

  it('does not call Redis for a success when there is nothing to clear', async () => {
    const tracker = trackerOn(new FakeClock());
    const id = randomUUID();
    await tracker.recordSuccess(id);

    expect(await redis.exists(`${keyPrefix}health:${id}`)).toBe(0);
  });

  it('applies outcomes locally and warns once when Redis is unreachable', async () => {
    const clock = new FakeClock();
    const logger = new RecordingLogger();
    const down = unreachableRedis();
    const tracker = new RedisHealthTracker({ redis: down, subscriber: down, logger, now: clock.now, keyPrefix, channel });
    const id = randomUUID();

    for (let i = 0; i < 3; i += 1) await tracker.recordFailure(id, RETRYABLE);

    expect(tracker.isCoolingDown(id)).toBe(true);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/Integration health: Redis unavailable .*failing open/);
    await tracker.reset(id);
    expect(tracker.isAvailable(id)).toBe(true);
    down.disconnect();
  });
});
