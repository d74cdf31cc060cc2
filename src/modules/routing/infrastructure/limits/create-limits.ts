import { Redis, RedisOptions } from 'ioredis';
import type { HealthConfig, HealthTracker } from '../../application/limits/health-tracker.port';
import type { RateLimiter } from '../../application/limits/rate-limiter.port';
import type { BudgetLedger } from '../../application/budgets/budget-ledger.port';
import { InMemoryBudgetLedger } from './in-memory-budget-ledger.adapter';
import { RedisBudgetLedger } from './redis-budget-ledger.adapter';
import { FailOpenWarning, LimitsLogger } from './fail-open-warning';
import { InMemoryHealthTracker } from './in-memory-health-tracker.adapter';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.adapter';
import { RedisHealthTracker } from './redis-health-tracker.adapter';
import { RedisRateLimiter } from './redis-rate-limiter.adapter';

export type LimitsOptions = {
  /** REDIS_URL: when set, RPM limits, budgets and health are shared between instances; else per process. */
  redisUrl?: string;
  health?: Partial<HealthConfig>;
  now?: () => number;
  logger: LimitsLogger;
  /** Prefix of every Redis key (default `keyway:`); tests use a unique one. */
  keyPrefix?: string;
  /** Pub/sub channel for health (default `keyway:health`). */
  healthChannel?: string;
  /** Longest a Redis command may take before the check fails open (default 250 ms). */
  commandTimeoutMs?: number;
  /** Longest `ready` waits for the health subscription (default 2 s). */
  readyTimeoutMs?: number;
};

export type Limits = {
  rateLimiter: RateLimiter;
  health: HealthTracker;
  budgets: BudgetLedger;
  /**
   * Resolves once health messages from other instances are being received (at once in memory),
   * or after `readyTimeoutMs` with a warning if Redis is not reachable: boot may await it
   * without hanging on a Redis outage. Never rejects.
   */
  ready: Promise<void>;
  /** Unsubscribes and closes the Redis connections. */
  close(): Promise<void>;
};

/**
 * ioredis honours `disconnectTimeout` (how long a closed connection's socket may linger before it
 * is destroyed, 2 s by default) without declaring it; a short one keeps shutdown prompt when
 * Redis is down.
 */
const CLOSE_PROMPTLY: RedisOptions & { disconnectTimeout: number } = { disconnectTimeout: 100 };

/** Builds the RPM limiter, the budget ledger and the health tracker: on Redis when `redisUrl` is set, in memory otherwise. */
export function createLimits(options: LimitsOptions): Limits {
  const now = options.now ?? Date.now;
  if (!options.redisUrl) {
    return {
      rateLimiter: new InMemoryRateLimiter(now),
      health: new InMemoryHealthTracker(options.health, now),
      budgets: new InMemoryBudgetLedger(now),
      ready: Promise.resolve(),
      close: async () => undefined,
    };
  }
  const { logger, keyPrefix } = options;
  // Commands fail at once while disconnected (no offline queue, no retry) and after a short
  // timeout when Redis hangs, so the hot path fails open instead of waiting.
  const redis = new Redis(options.redisUrl, {
    ...CLOSE_PROMPTLY,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectionName: 'keyway-limits',
  });
  // The subscriber queues SUBSCRIBE until connected and re-subscribes after a reconnect.
  const subscriber = new Redis(options.redisUrl, { ...CLOSE_PROMPTLY, connectionName: 'keyway-limits-subscriber' });
  // Connection errors are logged throttled (ioredis would print every reconnect attempt).
  const connection = new FailOpenWarning(logger, 'Limits', now);
  redis.on('error', (error: unknown) => connection.failed(error));
  redis.on('ready', () => connection.succeeded());
  subscriber.on('error', () => undefined);
  const health = new RedisHealthTracker({ redis, subscriber, logger, config: options.health, now, keyPrefix, channel: options.healthChannel });
  // The initial load of shared states needs the command connection too.
  const ready = withTimeout(onceReady(redis).then(() => health.start()), options.readyTimeoutMs ?? 2_000).catch((error: unknown) => {
    logger.warn(`Integration health: not yet listening for other instances (${error instanceof Error ? error.message : String(error)}); will once Redis is reachable`);
  });
  return {
    rateLimiter: new RedisRateLimiter({ redis, logger, now, keyPrefix }),
    health,
    budgets: new RedisBudgetLedger({ redis, now, keyPrefix }),
    ready,
    close: async () => {
      await health.close();
      await Promise.all([quit(redis), quit(subscriber)]);
    },
  };
}

function onceReady(connection: Redis): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => connection.once('ready', () => resolve()));
}

/** QUIT when connected (lets pending replies arrive); a connection still trying to connect is just dropped. */
async function quit(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
