import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LimitsLogger } from './fail-open-warning';

/** Test helpers for the limits specs. */

export const TEST_REDIS_URL = process.env.KEYWAY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A minute boundary (ms since epoch), so bucket arithmetic in tests is easy to follow. */
export const MINUTE_START = 1_700_000_040_000;

export class FakeClock {
  constructor(public time: number = MINUTE_START) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

export class RecordingLogger implements LimitsLogger {
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  warn(message: string): void {
    this.warnings.push(message);
  }
  log(message: string): void {
    this.infos.push(message);
  }
}

/** A unique key prefix per test run, so runs sharing a Redis never see each other's keys. */
export function uniquePrefix(): string {
  return `keyway-test:${randomUUID()}:`;
}

export async function connectTestRedis(): Promise<Redis> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return redis;
}

/** A client for a port nothing listens on: every command fails at once. */
export function unreachableRedis(): Redis {
  const redis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  return redis;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Polls until `check` holds (a bounded wait for a pub/sub message, not a fixed sleep). */
export async function eventually(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
