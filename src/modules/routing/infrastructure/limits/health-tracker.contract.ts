import type { HealthConfig, HealthTracker } from '../../application/limits/health-tracker.port';
import { FakeClock } from './limits-test-support';

const RETRYABLE = { authFailure: false, message: 'upstream returned 503' };
const AUTH = { authFailure: true, message: 'Incorrect API key provided: sk-…[redacted]' };

/** Behaviour every HealthTracker adapter shares; `make` builds one on the given clock and config. */
export function healthTrackerContract(make: (clock: FakeClock, config?: Partial<HealthConfig>) => HealthTracker, idOf: () => string): void {
  async function fail(tracker: HealthTracker, id: string, times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) await tracker.recordFailure(id, RETRYABLE);
  }

  it('an integration never seen is healthy and available', () => {
    const tracker = make(new FakeClock());
    const id = idOf();
    expect(tracker.isAvailable(id)).toBe(true);
    expect(tracker.isCoolingDown(id)).toBe(false);
    expect(tracker.snapshot(id)).toEqual({ status: 'healthy', consecutiveFailures: 0, cooldownUntil: null, lastError: null, lastErrorAt: null, lastSuccessAt: null });
  });

  it('stays available below the threshold, without a transition to persist', async () => {
    const clock = new FakeClock();
    const tracker = make(clock);
    const id = idOf();

    const first = await tracker.recordFailure(id, RETRYABLE);
    const second = await tracker.recordFailure(id, RETRYABLE);

    expect([first.changed, second.changed]).toEqual([false, false]);
    expect(second).toMatchObject({ status: 'healthy', consecutiveFailures: 2, lastError: 'upstream returned 503', lastErrorAt: clock.time });
    expect(tracker.isAvailable(id)).toBe(true);
  });

  it('the third consecutive failure starts a 30 s cooldown', async () => {
    const clock = new FakeClock();
    const tracker = make(clock);
    const id = idOf();
    await fail(tracker, id, 2);

    const third = await tracker.recordFailure(id, RETRYABLE);

    expect(third).toMatchObject({ status: 'cooling_down', consecutiveFailures: 3, cooldownUntil: clock.time + 30_000, changed: true });
    expect(tracker.isCoolingDown(id)).toBe(true);
    expect(tracker.isAvailable(id)).toBe(false);
    expect(tracker.cooldownUntil(id)).toBe(clock.time + 30_000);
  });

  it('a cooldown ends on time', async () => {
    const clock = new FakeClock();
    const tracker = make(clock);
    const id = idOf();
    await fail(tracker, id, 3);

    clock.advance(29_999);
    expect(tracker.isCoolingDown(id)).toBe(true);
    clock.advance(1);
    expect(tracker.isCoolingDown(id)).toBe(false);
    expect(tracker.isAvailable(id)).toBe(true);
    expect(tracker.cooldownUntil(id)).toBeNull();
    expect(tracker.snapshot(id)).toMatchObject({ status: 'healthy', cooldownUntil: null, consecutiveFailures: 3 });
  });

  it('failures of requests still in flight during a cooldown neither extend it nor count as transitions', async () => {
    const clock = new FakeClock();
    const tracker = make(clock);
    const id = idOf();
    await fail(tracker, id, 3);
    const until = tracker.cooldownUntil(id);

    clock.advance(10_000);
    const late = await tracker.recordFailure(id, RETRYABLE);

    expect(late).toMatchObject({ status: 'cooling_down', cooldownUntil: until, consecutiveFailures: 4, changed: false });
  });

  it('a failure right after a cooldown starts the next one, twice as long, up to the cap', async () => {
    const clock = new FakeClock();
    const tracker = make(clock, { cooldownMs: 30_000, maxCooldownMs: 100_000 });
    const id = idOf();
    await fail(tracker, id, 3);

    const durations: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      clock.advance(tracker.cooldownUntil(id)! - clock.time);
      const next = await tracker.recordFailure(id, RETRYABLE);
      expect(next.changed).toBe(true);
      durations.push(next.cooldownUntil! - clock.time);
    }

    expect(durations).toEqual([60_000, 100_000, 100_000, 100_000]);
  });

  it('a success resets the counter and the growth', async () => {
    const clock = new FakeClock();
    const tracker = make(clock);
    const id = idOf();
    await fail(tracker, id, 3);
    clock.advance(30_000);
    await fail(tracker, id, 1); // second cooldown: 60 s
    clock.advance(60_000);

    const success = await tracker.recordSuccess(id);
    expect(success).toMatchObject({ status: 'healthy', consecutiveFailures: 0, lastSuccessAt: clock.time, changed: true });

    await fail(tracker, id, 2);
    expect(tracker.isAvailable(id)).toBe(true);
    const third = await tracker.recordFailure(id, RETRYABLE);
    expect(third.cooldownUntil).toBe(clock.time + 30_000);
  });

  it('a success between failures keeps them from adding up', async () => {
    const tracker = make(new FakeClock());
    const id = idOf();
    await fail(tracker, id, 2);
    expect((await tracker.recordSuccess(id)).changed).toBe(false);
    await fail(tracker, id, 2);
    expect(tracker.isAvailable(id)).toBe(true);
    expect(tracker.snapshot(id).consecutiveFailures).toBe(2);
  });

  it('a success ends a running cooldown', async () => {
    const tracker = make(new FakeClock());
    const id = idOf();
    await fail(tracker, id, 3);

    expect((await tracker.recordSuccess(id)).changed).toBe(true);
    expect(tracker.isAvailable(id)).toBe(true);
  });

  it('a refused credential makes the integration failing at once, with no end', async () => {
    const clock = new FakeClock();
    const tracker = make(clock);
    const id = idOf();

    const refused = await tracker.recordFailure(id, AUTH);

    expect(refused).toMatchObject({ status: 'failing', cooldownUntil: null, lastError: AUTH.message, changed: true });
    expect(tracker.isAvailable(id)).toBe(false);
    expect(tracker.isCoolingDown(id)).toBe(false);
    clock.advance(24 * 60 * 60 * 1000);
    expect(tracker.isAvailable(id)).toBe(false);
    expect((await tracker.recordFailure(id, RETRYABLE)).changed).toBe(false);
    expect((await tracker.recordFailure(id, AUTH)).changed).toBe(false);
    expect(tracker.snapshot(id).status).toBe('failing');
  });

  it('a refused credential during a cooldown turns it into failing', async () => {
    const tracker = make(new FakeClock());
    const id = idOf();
    await fail(tracker, id, 3);

    const refused = await tracker.recordFailure(id, AUTH);

    expect(refused).toMatchObject({ status: 'failing', cooldownUntil: null, changed: true });
    expect(tracker.isAvailable(id)).toBe(false);
  });

  it('rotating the credential (reset) clears failing and keeps the last error', async () => {
    const clock = new FakeClock();
    const tracker = make(clock);
    const id = idOf();
    await tracker.recordFailure(id, AUTH);

    await tracker.reset(id);

    expect(tracker.isAvailable(id)).toBe(true);
    expect(tracker.snapshot(id)).toMatchObject({ status: 'healthy', consecutiveFailures: 0, lastError: AUTH.message, lastErrorAt: clock.time });
  });

  it('a success clears failing', async () => {
    const tracker = make(new FakeClock());
    const id = idOf();
    await tracker.recordFailure(id, AUTH);

    expect(await tracker.recordSuccess(id)).toMatchObject({ status: 'healthy', changed: true });
    expect(tracker.isAvailable(id)).toBe(true);
  });

  it('a reset clears a cooldown and its growth', async () => {
    const clock = new FakeClock();
    const tracker = make(clock);
    const id = idOf();
    await fail(tracker, id, 3);

    await tracker.reset(id);
    expect(tracker.isCoolingDown(id)).toBe(false);
    await fail(tracker, id, 3);
    expect(tracker.cooldownUntil(id)).toBe(clock.time + 30_000);
  });

  it('keeps at most 500 characters of an error message', async () => {
    const tracker = make(new FakeClock());
    const id = idOf();
    const result = await tracker.recordFailure(id, { authFailure: false, message: 'é'.repeat(2_000) });
    expect(result.lastError).toBe('é'.repeat(500));
    expect(tracker.snapshot(id).lastError).toBe('é'.repeat(500));
  });

  it('integrations are tracked separately', async () => {
    const tracker = make(new FakeClock());
    const [a, b] = [idOf(), idOf()];
    await fail(tracker, a, 3);
    expect(tracker.isAvailable(a)).toBe(false);
    expect(tracker.isAvailable(b)).toBe(true);
  });
}
