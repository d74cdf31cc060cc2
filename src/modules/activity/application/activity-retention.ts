import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { ActivityPurger } from './ports/activity-purger.port';

export type RetentionOptions = {
  /** Records older than this many days are deleted; 0 keeps them forever (no purge runs). */
  days: number;
  /** Time from the end of one run to the start of the next (ms). */
  intervalMs: number;
  /** Most rows deleted per statement. */
  batchSize: number;
  /** Delay before the first run (ms), capped at `intervalMs`; default one minute, out of the way of the boot. */
  firstRunDelayMs?: number;
};

export type RetentionLogger = {
  log(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
};

/**
 * How a run ended: `completed` (nothing older than the cutoff is left), `stopped` (by shutdown,
 * between two batches), `busy` (another instance is purging), `disabled` (retention 0),
 * `failed` (an error; the next run tries again).
 */
export type PurgeOutcome = 'completed' | 'stopped' | 'busy' | 'disabled' | 'failed';

export type PurgeRun = {
  outcome: PurgeOutcome;
  deleted: number;
  /** DELETE statements run, each of at most `batchSize` rows. */
  batches: number;
  durationMs: number;
};

const DAY_MS = 86_400_000;
const DEFAULT_FIRST_RUN_DELAY_MS = 60_000;

/**
 * Activity retention: every `intervalMs` (first run `firstRunDelayMs` after boot), deletes
 * the records created more than `days` days ago, `batchSize` rows per statement, until a
 * statement deletes fewer. Short statements, with the event loop given a turn between them,
 * keep locks, WAL bursts and (on the embedded database, which runs on this event loop) pauses
 * small. One run at a time; an error is logged and the next run tries again. Shutdown stops
 * the timer and a run in progress between two batches.
 */
export class ActivityRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PurgeRun> | null = null;
  private stopped = false;

  constructor(
    private readonly purger: ActivityPurger,
    private readonly options: RetentionOptions,
    private readonly logger: RetentionLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Schedules the first run (nothing when retention is 0). The timer never keeps the process alive. */
  start(): void {
    if (this.stopped || this.timer !== null) return;
    if (this.options.days === 0) {
      this.logger.log('activity retention: off (KEYWAY_ACTIVITY_RETENTION_DAYS=0), records are kept forever');
      return;
    }
    this.schedule(Math.min(this.options.firstRunDelayMs ?? DEFAULT_FIRST_RUN_DELAY_MS, this.options.intervalMs));
  }

  /** Cancels the next run and waits for the one in progress, which stops after its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs a purge now, or joins the one in progress. Never rejects: a failure is logged and reported as `failed`. */
  runOnce(): Promise<PurgeRun> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  /** Before the database closes (the global Database module shuts down last). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().then(() => {
        if (!this.stopped) this.schedule(this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<PurgeRun> {
    const { days, batchSize } = this.options;
    const started = this.now();
    let deleted = 0;
    let batches = 0;
    const result = (outcome: PurgeOutcome): PurgeRun => ({ outcome, deleted, batches, durationMs: this.now() - started });
    if (days === 0) return result('disabled');
    const before = new Date(started - days * DAY_MS);
    try {
      for (;;) {
        if (this.stopped) return this.report(result('stopped'), before);
        const count = await this.purger.deleteBatch(before, batchSize);
        if (count === 'busy') return this.report(result('busy'), before);
        batches++;
        deleted += count;
        if (count < batchSize) return this.report(result('completed'), before);
        await yieldToEventLoop();
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const run = result('failed');
      this.logger.warn(
        `activity retention: purge failed after deleting ${run.deleted} record(s) in ${run.batches} batch(es) (${message}); next try in ${this.options.intervalMs} ms`,
      );
      return run;
    }
  }

  private report(run: PurgeRun, before: Date): PurgeRun {
    const what = `${run.deleted} record(s) created before ${before.toISOString()} (older than ${this.options.days} days) in ${run.batches} batch(es), ${run.durationMs} ms`;
    if (run.outcome === 'completed') this.logger.log(`activity retention: deleted ${what}`);
    else if (run.outcome === 'stopped') this.logger.log(`activity retention: stopped by shutdown after deleting ${what}`);
    else if (run.batches === 0) this.logger.debug('activity retention: skipped, another instance is purging');
    else this.logger.log(`activity retention: deleted ${what}; another instance is purging the rest`);
    return run;
  }
}

/** Lets timers and I/O (other requests, the embedded database's other connections) run between two batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
