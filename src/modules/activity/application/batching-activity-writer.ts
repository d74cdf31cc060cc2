import type { ActivityEntry, ActivitySink } from '../../routing/application/ports/activity-sink.port';
import type { ActivityRecord } from '../domain/activity';
import { activityId } from '../domain/activity-id';
import { BoundedQueue } from './bounded-queue';
import { ActivityRowsRejected } from './ports/activity-store.port';

export type ActivityWriterOptions = {
  /** Most records held in memory waiting for the database; beyond it the oldest are dropped. */
  bufferMax: number;
  /** Most records per INSERT; as soon as this many are waiting they are written. */
  batchSize: number;
  /** A partial batch waits at most this long (ms). */
  flushIntervalMs: number;
  /** Backoff after a failed write (ms): starts at `retryMinMs`, doubles up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
  /** How long shutdown keeps retrying an unavailable database before giving up (ms). */
  shutdownTimeoutMs: number;
};

export const DEFAULT_ACTIVITY_WRITER_OPTIONS: ActivityWriterOptions = {
  bufferMax: 10_000,
  batchSize: 500,
  flushIntervalMs: 1_000,
  retryMinMs: 250,
  retryMaxMs: 10_000,
  shutdownTimeoutMs: 10_000,
};

export type ActivityWriterLogger = {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

/** Appends records in one statement, all or none (see `ActivityStore.insert`). */
export type InsertActivity = (records: readonly ActivityRecord[]) => Promise<void>;

/** Drops are reported at most this often, with the count since the last report. */
const DROP_REPORT_INTERVAL_MS = 10_000;

/**
 * The activity log's writer (DESIGN §7): `record()` only appends to a bounded in-memory
 * queue; one write at a time drains it in multi-row INSERTs, when a batch is full or every
 * `flushIntervalMs`. A failed write keeps its records (in front of the queue) and is retried
 * with exponential backoff; rows the database refuses as data are isolated by halving the
 * batch and only those are discarded. When the queue is full the oldest records are dropped,
 * counted and logged. `close()` writes what is left before the database goes away.
 */
export class BatchingActivityWriter implements ActivitySink {
  private readonly queue: BoundedQueue<ActivityRecord>;
  private readonly ticker: NodeJS.Timeout;
  private writing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private inFlight = 0;
  private closed = false;
  private writtenCount = 0;
  private droppedCount = 0;
  private rejectedCount = 0;
  private unreportedDrops = 0;
  private lastDropReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly insert: InsertActivity,
    private readonly options: ActivityWriterOptions,
    private readonly logger: ActivityWriterLogger,
  ) {
    if (options.batchSize < 1 || options.bufferMax < options.batchSize) {
      throw new RangeError(`activity writer: need 1 <= batchSize (${options.batchSize}) <= bufferMax (${options.bufferMax})`);
    }
    this.queue = new BoundedQueue(options.bufferMax);
    this.ticker = setInterval(() => this.tick(), options.flushIntervalMs);
    this.ticker.unref();
  }

  /** Synchronous and O(1): the request path never waits for the database. */
  record(entry: ActivityEntry): void {
    if (this.closed) {
      this.drop(1, 'recorded after shutdown');
      return;
    }
    const evicted = this.queue.push({ ...entry, id: activityId(entry.createdAt.getTime()) });
    if (evicted > 0) this.drop(evicted, 'buffer full');
    if (this.queue.size >= this.options.batchSize) this.startWriting();
  }

  /** Records waiting to be written, including the batch being written. */
  bufferDepth(): number {
    return this.queue.size + this.inFlight;
  }

  /** Records lost: evicted from a full buffer, left unwritten at shutdown, or recorded after it. */
  dropped(): number {
    return this.droppedCount;
  }

  /** Records written to the database. */
  written(): number {
    return this.writtenCount;
  }

  /** Records the database refused as data (not retried). */
  rejected(): number {
    return this.rejectedCount;
  }

  /**
   * Writes everything recorded so far now, skipping any backoff wait. Resolves when the queue
   * is empty or a write failed (the records stay queued and the usual retry resumes).
   */
  async flush(): Promise<void> {
    await this.writing;
    this.cancelRetry();
    this.startWriting();
    await this.writing;
  }

  /**
   * Stops the timer and writes what is left, retrying for up to `shutdownTimeoutMs` while the
   * database is unavailable; whatever still could not be written is counted as dropped and
   * logged. Records arriving afterwards are dropped (and logged).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.ticker);
    const deadline = Date.now() + this.options.shutdownTimeoutMs;
    await this.flush();
    while (this.bufferDepth() > 0 && Date.now() < deadline) {
      await sleep(Math.min(this.backoffMs(), Math.max(0, deadline - Date.now())));
      await this.flush();
    }
    this.cancelRetry();
    this.closed = true;
    const lost = this.queue.take(this.queue.size).length;
    if (lost > 0) this.drop(lost, 'database unavailable at shutdown');
    this.reportDrops();
  }

  private tick(): void {
    if (this.unreportedDrops > 0 && Date.now() - this.lastDropReport >= DROP_REPORT_INTERVAL_MS) this.reportDrops();
    if (this.retryTimer === null) this.startWriting();
  }

  /** At most one write at a time; none while backing off. */
  private startWriting(): void {
    if (this.writing !== null || this.retryTimer !== null || this.queue.size === 0) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0) {
      const batch = this.queue.take(this.options.batchSize);
      this.inFlight = batch.length;
      try {
        await this.write(batch);
      } catch (error) {
        this.scheduleRetry(error);
        return;
      } finally {
        this.inFlight = 0;
      }
      this.recovered();
    }
  }

  /** Writes `batch`; a refused batch is halved until the refused rows are alone and discarded. */
  private async write(batch: ActivityRecord[]): Promise<void> {
    const pending: ActivityRecord[][] = [batch];
    for (let chunk = pending.shift(); chunk !== undefined; chunk = pending.shift()) {
      try {
        await this.insert(chunk);
        this.writtenCount += chunk.length;
        this.inFlight -= chunk.length;
      } catch (error) {
        if (!(error instanceof ActivityRowsRejected)) {
          this.inFlight = 0;
          this.requeue([chunk, ...pending].flat());
          throw error;
        }
        if (chunk.length === 1) {
          this.reject(chunk[0], error);
          continue;
        }
        const half = Math.ceil(chunk.length / 2);
        pending.unshift(chunk.slice(0, half), chunk.slice(half));
      }
    }
  }

  private requeue(records: ActivityRecord[]): void {
    const evicted = this.queue.putBack(records);
    if (evicted > 0) this.drop(evicted, 'buffer full');
  }

  private reject(record: ActivityRecord, error: ActivityRowsRejected): void {
    this.rejectedCount++;
    this.inFlight--;
    this.logger.error(`activity: the database refused the record of request ${record.requestId}; it is discarded: ${error.message}`);
  }

  private scheduleRetry(error: unknown): void {
    this.failures++;
    const delay = this.backoffMs();
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(`activity: writing failed (attempt ${this.failures}: ${message}); ${this.bufferDepth()} record(s) kept, retrying in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.startWriting();
    }, delay);
    this.retryTimer.unref();
  }

  private backoffMs(): number {
    const exponent = Math.max(0, this.failures - 1);
    return Math.min(this.options.retryMinMs * 2 ** Math.min(exponent, 30), this.options.retryMaxMs);
  }

  private cancelRetry(): void {
    if (this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private recovered(): void {
    if (this.failures === 0) return;
    // A warning like the failures it ends, so that a log filtered to warnings shows both.
    this.logger.warn(`activity: writing resumed after ${this.failures} failed attempt(s)`);
    this.failures = 0;
    this.reportDrops();
  }

  private drop(count: number, why: string): void {
    this.droppedCount += count;
    this.unreportedDrops += count;
    if (this.closed || Date.now() - this.lastDropReport >= DROP_REPORT_INTERVAL_MS) this.reportDrops(why);
  }

  private reportDrops(why?: string): void {
    if (this.unreportedDrops === 0) return;
    const reason = why ? ` (${why})` : '';
    this.logger.error(
      `activity: dropped ${this.unreportedDrops} record(s)${reason}; ${this.droppedCount} dropped since start, buffer holds at most ${this.options.bufferMax}`,
    );
    this.unreportedDrops = 0;
    this.lastDropReport = Date.now();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
