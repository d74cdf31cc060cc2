import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BEFORE_MIDNIGHT, budgetLedgerContract } from './budget-ledger.contract';
import { connectTestRedis, deleteKeys, FakeClock, uniquePrefix, unreachableRedis } from './limits-test-support';
import { RedisBudgetLedger } from './redis-budget-ledger.adapter';

describe('RedisBudgetLedger', () => {
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

  budgetLedgerContract((clock) => new RedisBudgetLedger({ redis, now: clock.now, keyPrefix }));

  it('two gateway instances on one Redis share the budget: 2·50 concurrent reservations, only what fits is granted', async () => {
    const clock = new FakeClock(BEFORE_MIDNIGHT);
    const [a, b] = [new RedisBudgetLedger({ redis, now: clock.now, keyPrefix }), new RedisBudgetLedger({ redis: other, now: clock.now, keyPrefix })];
    const id = randomUUID();
    const limits = { dailyUsd: 0.00001, monthlyUsd: null };

    const decisions = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).reserve(id, limits, 1_000)));

    expect(decisions.filter((d) => d.granted)).toHaveLength(10);
    expect(await b.snapshot(id)).toMatchObject({ daily: { settled: 0, reserved: 10_000 } });
  });

  it('keeps its totals only as long as they can be current', async () => {
    const clock = new FakeClock(BEFORE_MIDNIGHT);
    const ledger = new RedisBudgetLedger({ redis, now: clock.now, keyPrefix });
    const id = randomUUID();
    const held = await ledger.reserve(id, { dailyUsd: 1, monthlyUsd: 1 }, 10);
    if (!held.granted) throw new Error('refused');
    await ledger.settle(held.reservation, 10);
    const ttls = await Promise.all([`d:2026-11-25`, `m:2026-11`].map((suffix) => redis.pttl(`${keyPrefix}budget:{${id}}:${suffix}`)));
    expect(ttls[0]).toBeGreaterThan(24 * 3600 * 1000);
    expect(ttls[0]).toBeLessThanOrEqual(2 * 24 * 3600 * 1000);
    expect(ttls[1]).toBeGreaterThan(31 * 24 * 3600 * 1000);
  });

  it('an unreachable Redis is an error for the caller to handle, not a silent grant', async () => {
    const unreachable = unreachableRedis();
    const ledger = new RedisBudgetLedger({ redis: unreachable, keyPrefix });
    try {
      await expect(ledger.reserve(randomUUID(), { dailyUsd: 1, monthlyUsd: null }, 1)).rejects.toThrow();
    } finally {
      unreachable.disconnect();
    }
  });
});
