import { ActivityRetention, RetentionLogger, RetentionOptions } from './activity-retention';
import { ActivityPurger } from './ports/activity-purger.port';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-11-25T10:00:00.000Z');

/** A table of record timestamps; each call deletes up to `limit` of those before the cutoff. */
class FakePurger implements ActivityPurger {
  readonly calls: { before: Date; limit: number }[] = [];
  failNext: Error | null = null;
  busy = false;
  /** Resolved by the test to let a batch finish (only when `hold` is set). */
  hold: Promise<void> | null = null;

  constructor(public createdAt: number[] = []) {}

  async deleteBatch(before: Date, limit: number): Promise<number | 'busy'> {
    this.calls.push({ before, limit });
    if (this.hold) await this.hold;
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    if (this.busy) return 'busy';
    const doomed = this.createdAt.filter((t) => t < before.getTime()).slice(0, limit);
    this.createdAt = this.createdAt.filter((t) => !doomed.includes(t));
    return doomed.length;
  }
}

class RecordingLogger implements RetentionLogger {
  readonly lines: { level: 'log' | 'warn' | 'debug'; message: string }[] = [];
  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
}

function daysAgo(days: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => NOW - days * DAY_MS - i);
}

function retention(purger: ActivityPurger, options: Partial<RetentionOptions> = {}, logger = new RecordingLogger()): ActivityRetention {
  return new ActivityRetention(purger, { days: 30, intervalMs: 10_000, batchSize: 7, firstRunDelayMs: 1_000, ...options }, logger, () => Date.now());
}

describe('activity retention', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['setImmediate'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('deletes what is older than the retention, batch by batch, until a batch comes back short', async () => {
    const purger = new FakePurger([...daysAgo(31, 25), ...daysAgo(29, 5)]);
    const logger = new RecordingLogger();
    const run = await retention(purger, {}, logger).runOnce();

    expect(run).toMatchObject({ outcome: 'completed', deleted: 25, batches: 4 });
    expect(purger.createdAt).toHaveLength(5);
    expect(purger.calls.map((c) => c.limit)).toEqual([7, 7, 7, 7]);
    expect(purger.calls.every((c) => c.before.getTime() === NOW - 30 * DAY_MS)).toBe(true);
    expect(logger.lines).toEqual([
      { level: 'log', message: expect.stringMatching(/^activity retention: deleted 25 record\(s\) created before 2026-10-26T10:00:00.000Z \(older than 30 days\) in 4 batch\(es\), \d+ ms$/) },
    ]);
  });

  it('a backlog that is an exact multiple of the batch size ends with an empty batch', async () => {
    const purger = new FakePurger(daysAgo(40, 14));
    expect(await retention(purger).runOnce()).toMatchObject({ outcome: 'completed', deleted: 14, batches: 3 });
  });

  it('retention 0 keeps everything: nothing is scheduled and a run deletes nothing', async () => {
    const purger = new FakePurger(daysAgo(10_000, 3));
    const logger = new RecordingLogger();
    const job = retention(purger, { days: 0 }, logger);
    job.start();
    expect(jest.getTimerCount()).toBe(0);
    expect(await job.runOnce()).toMatchObject({ outcome: 'disabled', deleted: 0, batches: 0 });
    expect(purger.calls).toHaveLength(0);
    expect(logger.lines).toEqual([{ level: 'log', message: expect.stringContaining('kept forever') }]);
  });

  it('runs first after the first-run delay, then one interval after each run ends', async () => {
    const purger = new FakePurger();
    const job = retention(purger);
    job.start();
    await jest.advanceTimersByTimeAsync(999);
    expect(purger.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(purger.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(9_999);
    expect(purger.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(purger.calls).toHaveLength(2);
    await job.stop();
  });

  it('an interval shorter than the first-run delay starts the first run sooner', async () => {
    const purger = new FakePurger();
    const job = retention(purger, { intervalMs: 500, firstRunDelayMs: 60_000 });
    job.start();
    await jest.advanceTimersByTimeAsync(500);
    expect(purger.calls).toHaveLength(1);
    await job.stop();
  });

  it('the timer does not keep the process alive', () => {
    const job = retention(new FakePurger());
    const spy = jest.spyOn(global, 'setTimeout');
    job.start();
    const timer = spy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    spy.mockRestore();
  });

  it('a failure is logged as a warning and the next interval tries again', async () => {
    const purger = new FakePurger(daysAgo(31, 3));
    const logger = new RecordingLogger();
    const job = retention(purger, {}, logger);
    purger.failNext = new Error('connection terminated');
    job.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(logger.lines).toEqual([{ level: 'warn', message: expect.stringContaining('purge failed after deleting 0 record(s) in 0 batch(es) (connection terminated); next try in 10000 ms') }]);
    expect(purger.createdAt).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(purger.createdAt).toHaveLength(0);
    expect(logger.lines[1]).toEqual({ level: 'log', message: expect.stringContaining('deleted 3 record(s)') });
    await job.stop();
  });

  it('skips the run while another instance is purging', async () => {
    const purger = new FakePurger(daysAgo(31, 3));
    purger.busy = true;
    const logger = new RecordingLogger();
    expect(await retention(purger, {}, logger).runOnce()).toMatchObject({ outcome: 'busy', deleted: 0, batches: 0 });
    expect(purger.createdAt).toHaveLength(3);
    expect(logger.lines).toEqual([{ level: 'debug', message: 'activity retention: skipped, another instance is purging' }]);
  });

  it('a purge in progress at shutdown stops after its current batch, and no run follows', async () => {
    const purger = new FakePurger(daysAgo(31, 30));
    let release: () => void = () => {};
    purger.hold = new Promise((resolve) => (release = resolve));
    const logger = new RecordingLogger();
    const job = retention(purger, {}, logger);
    job.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(purger.calls).toHaveLength(1);

    const stopped = job.stop();
    release();
    await stopped;
    expect(purger.calls).toHaveLength(1);
    expect(purger.createdAt).toHaveLength(23);
    expect(logger.lines).toEqual([{ level: 'log', message: expect.stringMatching(/stopped by shutdown after deleting 7 record\(s\) .* in 1 batch\(es\)/) }]);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(purger.calls).toHaveLength(1);
  });

  it('a run asked for while one is in progress joins it', async () => {
    const purger = new FakePurger(daysAgo(31, 3));
    const job = retention(purger);
    const [a, b] = await Promise.all([job.runOnce(), job.runOnce()]);
    expect(a).toBe(b);
    expect(purger.calls).toHaveLength(1);
  });
});
