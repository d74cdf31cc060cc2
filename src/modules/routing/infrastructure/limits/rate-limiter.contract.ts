import type { RateLimiter } from '../../application/limits/rate-limiter.port';
import { FakeClock } from './limits-test-support';

/** Behaviour every RateLimiter adapter shares; `make` builds one on the given clock. */
export function rateLimiterContract(make: (clock: FakeClock) => RateLimiter, keyOf: () => string): void {
  async function take(limiter: RateLimiter, key: string, limit: number, times: number): Promise<number> {
    let allowed = 0;
    for (let i = 0; i < times; i += 1) if ((await limiter.tryAcquire(key, limit)).allowed) allowed += 1;
    return allowed;
  }

  it('admits exactly the limit, then refuses with the time until the next request fits', async () => {
    const clock = new FakeClock();
    const limiter = make(clock);
    const key = keyOf();

    expect(await take(limiter, key, 5, 5)).toBe(5);
    const refused = await limiter.tryAcquire(key, 5);

    // next minute, the 5 weigh 5·(W−e)/W: one more fits at e = 12 s
    expect(refused).toEqual({ allowed: false, retryAfterMs: 72_000 });
    clock.advance(71_999);
    expect((await limiter.tryAcquire(key, 5)).allowed).toBe(false);
    clock.advance(1);
    expect((await limiter.tryAcquire(key, 5)).allowed).toBe(true);
  });

  it('does not count refused requests', async () => {
    const clock = new FakeClock();
    const limiter = make(clock);
    const key = keyOf();
    await take(limiter, key, 3, 3);
    await take(limiter, key, 3, 20);

    clock.advance(60_000 + 20_001);
    expect(await take(limiter, key, 3, 1)).toBe(1);
  });

  it('slides: last minute counts for the part still inside the window', async () => {
    const clock = new FakeClock();
    const limiter = make(clock);
    const key = keyOf();
    expect(await take(limiter, key, 10, 10)).toBe(10);

    clock.advance(30_000);
    expect(await take(limiter, key, 10, 1)).toBe(0);
    clock.advance(60_000); // half of last minute's 10 still weighs: 5 more fit
    expect(await take(limiter, key, 10, 8)).toBe(5);
    clock.advance(60_000); // now 5 weigh half: 2.5 + 1 … 7 more fit
    expect(await take(limiter, key, 10, 10)).toBe(7);
  });

  it('tells a refused request how long until last minute has slid out enough', async () => {
    const clock = new FakeClock();
    const limiter = make(clock);
    const key = keyOf();
    await take(limiter, key, 10, 10);
    clock.advance(90_000);
    expect(await take(limiter, key, 10, 5)).toBe(5);

    // 10·(W−e)/W + 5 + 1 ≤ 10 once e ≥ 36 s, 6 s from now
    expect(await limiter.tryAcquire(key, 10)).toEqual({ allowed: false, retryAfterMs: 6_000 });
    clock.advance(6_000);
    expect((await limiter.tryAcquire(key, 10)).allowed).toBe(true);
  });

  it('forgets requests older than two minutes', async () => {
    const clock = new FakeClock();
    const limiter = make(clock);
    const key = keyOf();
    await take(limiter, key, 4, 4);

    clock.advance(120_000);
    expect(await take(limiter, key, 4, 5)).toBe(4);
  });

  it('limits each key on its own', async () => {
    const clock = new FakeClock();
    const limiter = make(clock);
    const [a, b] = [keyOf(), keyOf()];
    expect(await take(limiter, a, 2, 3)).toBe(2);
    expect(await take(limiter, b, 2, 3)).toBe(2);
  });

  it('refuses everything under a limit of 0', async () => {
    const limiter = make(new FakeClock());
    expect(await limiter.tryAcquire(keyOf(), 0)).toEqual({ allowed: false, retryAfterMs: 60_000 });
  });
}
