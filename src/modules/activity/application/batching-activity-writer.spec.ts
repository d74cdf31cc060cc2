import type { ActivityRecord } from '../domain/activity';
import { anActivityEntry } from '../testing/an-activity-entry';
import { ActivityWriterLogger, ActivityWriterOptions, BatchingActivityWriter, InsertActivity } from './batching-activity-writer';
import { ActivityRowsRejected } from './ports/activity-store.port';

/** A database stand-in: records what each INSERT carried; fails while `down`, or as told. */
class FakeInsert {
  readonly batches: ActivityRecord[][] = [];
  calls = 0;
  down = false;
  failNext = 0;
  hold: Promise<void> | null = null;
  refuse = new Set<string>();

  readonly insert: InsertActivity = async (records) => {
    this.calls++;
    if (this.hold) await this.hold;
    if (this.down || this.failNext > 0) {
      this.failNext = Math.max(0, this.failNext - 1);
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }
    if (records.some((r) => this.refuse.has(r.requestId))) throw new ActivityRowsRejected('value out of range');
    this.batches.push([...records]);
  };

  requestIds(): string[] {
    return this.batches.flat().map((r) => r.requestId);
  }
}

class RecordingLogger implements ActivityWriterLogger {
  readonly lines: { level: 'log' | 'warn' | 'error'; message: string }[] = [];
  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  at(level: 'log' | 'warn' | 'error'): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}

const QUIET: ActivityWriterOptions = {
  bufferMax: 1000,
  batchSize: 100,
  flushIntervalMs: 60_000,
  retryMinMs: 5,
  retryMaxMs: 20,
  shutdownTimeoutMs: 2_000,
};

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

describe('BatchingActivityWriter', () => {
  let db: FakeInsert;
  let logger: RecordingLogger;
  const writers: BatchingActivityWriter[] = [];

  function writer(options: Partial<ActivityWriterOptions> = {}): BatchingActivityWriter {
    const w = new BatchingActivityWriter(db.insert, { ...QUIET, ...options }, logger);
    writers.push(w);
    return w;
  }

  beforeEach(() => {
    db = new FakeInsert();
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    db.down = false;
    db.hold = null;
    await Promise.all(writers.splice(0).map((w) => w.close()));
  });

  it('record() returns before anything is written', () => {
    const w = writer();
    w.record(anActivityEntry());
    expect(db.calls).toBe(0);
    expect(w.bufferDepth()).toBe(1);
  });

  it('a full batch is written at once, in one INSERT, without waiting for the interval', async () => {
    const w = writer({ batchSize: 5 });
    for (const requestId of ids('r', 5)) w.record(anActivityEntry({ requestId }));
    await until(() => w.written() === 5);
    expect(db.batches).toHaveLength(1);
    expect(db.requestIds()).toEqual(ids('r', 5));
  });

  it('a partial batch is written when the interval elapses', async () => {
    const w = writer({ batchSize: 100, flushIntervalMs: 30 });
    for (const requestId of ids('r', 3)) w.record(anActivityEntry({ requestId }));
    expect(db.calls).toBe(0);
    await until(() => w.written() === 3);
    expect(db.batches.map((b) => b.length)).toEqual([3]);
  });

  it('each record gets its own time-ordered id', async () => {
    const w = writer();
    const t0 = new Date('2026-11-25T10:00:00.000Z');
    w.record(anActivityEntry({ createdAt: t0 }));
    w.record(anActivityEntry({ createdAt: new Date(t0.getTime() + 1) }));
    await w.flush();
    const [first, second] = db.batches[0];
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.id < second.id).toBe(true);
  });

  it('writes one batch at a time; records arriving meanwhile go in the next INSERT', async () => {
    let release!: () => void;
    db.hold = new Promise<void>((resolve) => (release = resolve));
    const w = writer({ batchSize: 4 });
    for (const requestId of ids('a', 4)) w.record(anActivityEntry({ requestId }));
    for (const requestId of ids('b', 6)) w.record(anActivityEntry({ requestId }));
    expect(db.calls).toBe(1);
    expect(w.bufferDepth()).toBe(10);
    db.hold = null;
    release();
    await until(() => w.written() === 10);
    expect(db.batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(db.requestIds()).toEqual([...ids('a', 4), ...ids('b', 6)]);
  });

  it('when the buffer is full the oldest records are dropped, counted and logged', async () => {
    db.down = true;
    const w = writer({ bufferMax: 10, batchSize: 5, retryMinMs: 60_000, retryMaxMs: 60_000 });
    for (const requestId of ids('r', 25)) w.record(anActivityEntry({ requestId }));
    await until(() => logger.at('warn').length === 1);
    expect(w.dropped()).toBe(15);
    expect(w.bufferDepth()).toBe(10);
    expect(logger.at('error').join('\n')).toMatch(/dropped \d+ record\(s\) \(buffer full\)/);

    db.down = false;
    await w.flush();
    expect(db.requestIds()).toEqual(ids('r', 25).slice(15));
    expect(w.written()).toBe(10);
  });

  it('a failed write keeps its records and retries with backoff until the database is back', async () => {
    db.failNext = 3;
    const w = writer({ batchSize: 2, retryMinMs: 5, retryMaxMs: 40 });
    for (const requestId of ids('r', 5)) w.record(anActivityEntry({ requestId }));
    await w.flush();
    await until(() => w.written() === 5);
    expect(db.requestIds()).toEqual(ids('r', 5));
    expect(w.dropped()).toBe(0);
    expect(logger.at('warn')).toHaveLength(4);
    expect(logger.at('warn')[0]).toMatch(/writing failed \(attempt 1: connect ECONNREFUSED.*\); \d+ record\(s\) kept, retrying in 5 ms/);
    expect(logger.at('warn')[2]).toMatch(/retrying in 20 ms/);
    expect(logger.at('warn')[3]).toBe('activity: writing resumed after 3 failed attempt(s)');
  });

  it('a full batch does not bypass the backoff while the database is down', async () => {
    db.down = true;
    const w = writer({ batchSize: 2, retryMinMs: 60_000, retryMaxMs: 60_000 });
    for (const requestId of ids('r', 2)) w.record(anActivityEntry({ requestId }));
    await until(() => logger.at('warn').length === 1);
    for (const requestId of ids('s', 6)) w.record(anActivityEntry({ requestId }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.calls).toBe(1);
    expect(w.bufferDepth()).toBe(8);
  });

  it('rows the database refuses are isolated and discarded; the rest of the batch is written', async () => {
    db.refuse.add('bad');
    const w = writer({ batchSize: 8 });
    const all = ['a', 'b', 'c', 'bad', 'd', 'e', 'f', 'g'];
    for (const requestId of all) w.record(anActivityEntry({ requestId }));
    await until(() => w.written() + w.rejected() === 8);
    expect(db.requestIds()).toEqual(all.filter((id) => id !== 'bad'));
    expect(w.rejected()).toBe(1);
    expect(w.bufferDepth()).toBe(0);
    expect(logger.at('error')).toEqual([expect.stringContaining('refused the record of request bad')]);
  });

  it('close() writes everything still buffered', async () => {
    const w = writer();
    for (const requestId of ids('r', 7)) w.record(anActivityEntry({ requestId }));
    await w.close();
    expect(db.requestIds()).toEqual(ids('r', 7));
    expect(w.bufferDepth()).toBe(0);
  });

  it('close() waits for a database that comes back within the shutdown timeout', async () => {
    db.failNext = 4;
    const w = writer({ retryMinMs: 5, retryMaxMs: 20 });
    for (const requestId of ids('r', 3)) w.record(anActivityEntry({ requestId }));
    await w.close();
    expect(db.requestIds()).toEqual(ids('r', 3));
    expect(w.dropped()).toBe(0);
  });

  it('close() gives up after the shutdown timeout, counting and logging what is lost', async () => {
    db.down = true;
    const w = writer({ retryMinMs: 5, retryMaxMs: 20, shutdownTimeoutMs: 100 });
    for (const requestId of ids('r', 3)) w.record(anActivityEntry({ requestId }));
    const started = Date.now();
    await w.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(w.dropped()).toBe(3);
    expect(w.bufferDepth()).toBe(0);
    expect(logger.at('error')).toEqual([expect.stringMatching(/dropped 3 record\(s\) \(database unavailable at shutdown\)/)]);
  });

  it('a record arriving after close() is dropped and logged, never silently', async () => {
    const w = writer();
    await w.close();
    w.record(anActivityEntry());
    expect(w.dropped()).toBe(1);
    expect(logger.at('error')).toEqual([expect.stringContaining('recorded after shutdown')]);
  });
});
