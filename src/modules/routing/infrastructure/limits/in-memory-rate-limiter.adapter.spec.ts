import { randomUUID } from 'node:crypto';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.adapter';
import { FakeClock } from './limits-test-support';
import { rateLimiterContract } from './rate-limiter.contract';

describe('InMemoryRateLimiter', () => {
  rateLimiterContract((clock) => new InMemoryRateLimiter(clock.now), () => randomUUID());

  it('drops keys idle for more than two minutes', async () => {
    const clock = new FakeClock();
    const limiter = new InMemoryRateLimiter(clock.now);
    await limiter.tryAcquire('idle', 10);
    clock.advance(60_000);
    await limiter.tryAcquire('busy', 10);
    expect(limiter.size).toBe(2);

    clock.advance(60_001);
    await limiter.tryAcquire('busy', 10);
    expect(limiter.size).toBe(1);
  });

  it('keeps a key in use even if it was first seen long ago', async () => {
    const clock = new FakeClock();
    const limiter = new InMemoryRateLimiter(clock.now);
    for (let minute = 0; minute < 5; minute += 1) {
      await limiter.tryAcquire('steady', 10);
      await limiter.tryAcquire(`other-${minute}`, 10);
      clock.advance(60_000);
    }
    await limiter.tryAcquire('steady', 10);
    expect(limiter.size).toBe(3); // steady, and the others of the last two minutes
  });
});
