import type { HealthConfig, HealthFailure, HealthSnapshot, HealthStatus, HealthTransition } from './health-tracker.port';

/**
 * Mutable per-integration record behind the health trackers; entries are updated in place so the
 * hot path allocates nothing. `status` is the last recorded transition (a cooldown that has run
 * out still reads `cooling_down` here; `snapshotOf` reports it as `healthy`). `version` orders
 * states coming from a shared store and stays 0 in memory. The Lua scripts in
 * redis-health-tracker.adapter.ts mirror these rules; keep them in step.
 */
export type HealthEntry = {
  status: HealthStatus;
  consecutiveFailures: number;
  cooldownUntil: number | null;
  /** Cooldowns in a row without a success: the next lasts cooldownMs·2^streak, capped. */
  cooldownStreak: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSuccessAt: number | null;
  version: number;
};

/** Longest last-error message kept (characters); it is shown on the integration and sent to every instance. */
export const MAX_ERROR_LENGTH = 500;

export function boundedMessage(message: string): string {
  return message.length > MAX_ERROR_LENGTH ? message.slice(0, MAX_ERROR_LENGTH) : message;
}

/** Beyond this the doubled cooldown is far past any sane cap; keeps 2^streak finite. */
export const MAX_COOLDOWN_STREAK = 30;

export function newHealthEntry(): HealthEntry {
  return { status: 'healthy', consecutiveFailures: 0, cooldownUntil: null, cooldownStreak: 0, lastError: null, lastErrorAt: null, lastSuccessAt: null, version: 0 };
}

export function isCooling(entry: HealthEntry | undefined, now: number): boolean {
  return entry !== undefined && entry.status === 'cooling_down' && entry.cooldownUntil !== null && now < entry.cooldownUntil;
}

/** End of the cooldown running at `now`, else null. */
export function runningCooldownEnd(entry: HealthEntry | undefined, now: number): number | null {
  return entry && isCooling(entry, now) ? entry.cooldownUntil : null;
}

export function isAvailableEntry(entry: HealthEntry | undefined, now: number): boolean {
  return entry === undefined || (entry.status !== 'failing' && !isCooling(entry, now));
}

export function cooldownDuration(streak: number, config: HealthConfig): number {
  return Math.min(config.cooldownMs * 2 ** streak, config.maxCooldownMs);
}

/**
 * Applies a failure; returns whether it was a transition. Failures recorded while a cooldown
 * runs or while failing (requests that were already in flight) count but change nothing. Once a
 * cooldown has run out the counter is still at the threshold, so the first failure after it
 * starts the next, doubled cooldown (half-open).
 */
export function applyFailure(entry: HealthEntry, failure: HealthFailure, now: number, config: HealthConfig): boolean {
  entry.consecutiveFailures += 1;
  entry.lastError = boundedMessage(failure.message);
  entry.lastErrorAt = now;
  if (failure.authFailure) return enterFailing(entry);
  if (entry.status === 'failing' || isCooling(entry, now) || entry.consecutiveFailures < config.failureThreshold) return false;
  entry.status = 'cooling_down';
  entry.cooldownUntil = now + cooldownDuration(entry.cooldownStreak, config);
  entry.cooldownStreak = Math.min(entry.cooldownStreak + 1, MAX_COOLDOWN_STREAK);
  return true;
}

/** Applies a success: counter, growth, cooldown and failing cleared. Returns whether it was a transition. */
export function applySuccess(entry: HealthEntry, now: number): boolean {
  entry.lastSuccessAt = now;
  return clear(entry);
}

/** Clears the counter, growth, cooldown and failing; keeps the last error and success. */
export function clear(entry: HealthEntry): boolean {
  const changed = entry.status !== 'healthy';
  entry.status = 'healthy';
  entry.consecutiveFailures = 0;
  entry.cooldownStreak = 0;
  entry.cooldownUntil = null;
  return changed;
}

export function snapshotOf(entry: HealthEntry | undefined, now: number): HealthSnapshot {
  if (!entry) return { status: 'healthy', consecutiveFailures: 0, cooldownUntil: null, lastError: null, lastErrorAt: null, lastSuccessAt: null };
  const expired = entry.status === 'cooling_down' && !isCooling(entry, now);
  return {
    status: expired ? 'healthy' : entry.status,
    consecutiveFailures: entry.consecutiveFailures,
    cooldownUntil: expired || entry.status !== 'cooling_down' ? null : entry.cooldownUntil,
    lastError: entry.lastError,
    lastErrorAt: entry.lastErrorAt,
    lastSuccessAt: entry.lastSuccessAt,
  };
}

export function transitionOf(entry: HealthEntry, now: number, changed: boolean): HealthTransition {
  return { ...snapshotOf(entry, now), changed };
}

function enterFailing(entry: HealthEntry): boolean {
  if (entry.status === 'failing') return false;
  entry.status = 'failing';
  entry.cooldownUntil = null;
  return true;
}
