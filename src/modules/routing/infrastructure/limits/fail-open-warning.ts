/** What the limits need from a logger; Nest's `Logger` fits. */
export type LimitsLogger = { warn(message: string): void; log?(message: string): void };

const WARN_EVERY_MS = 30_000;

/**
 * Logs that a Redis-backed limit is failing open, without flooding the log at request rate: the
 * first failure, then at most one line per 30 s with a count, and one line on recovery.
 */
export class FailOpenWarning {
  private failing = false;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: LimitsLogger,
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: unknown): void {
    this.failing = true;
    const now = this.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) {
      this.suppressed += 1;
      return;
    }
    const more = this.suppressed > 0 ? ` (${this.suppressed} more since the last warning)` : '';
    this.logger.warn(`${this.what}: Redis unavailable (${messageOf(error)}); failing open${more}`);
    this.lastWarnAt = now;
    this.suppressed = 0;
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.suppressed = 0;
    this.lastWarnAt = Number.NEGATIVE_INFINITY;
    (this.logger.log ?? this.logger.warn).call(this.logger, `${this.what}: Redis reachable again`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
