/**
 * `healthy`: a candidate. `cooling_down`: skipped until `cooldownUntil`. `failing`: the provider
 * refused the credential (401/403); skipped until the credential is rotated or edited
 * (`reset`) or a request through it succeeds.
 */
export type HealthStatus = 'healthy' | 'cooling_down' | 'failing';

/**
 * Health of one integration. Times are ms since epoch. `lastError` is stored and shared between
 * instances as given: callers pass a message that is already redacted.
 */
export type HealthSnapshot = {
  /** As of now: a cooldown that has run out reads `healthy`. */
  status: HealthStatus;
  consecutiveFailures: number;
  /** End of the running cooldown; null when none is running (also while `failing`, which has no end). */
  cooldownUntil: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSuccessAt: number | null;
};

/**
 * State after recording an outcome. `changed` is true exactly when this call made a transition
 * to persist: a cooldown started, the integration started failing, or it became healthy again
 * after a cooldown or failing. With a shared store, exactly one instance sees each transition.
 */
export type HealthTransition = HealthSnapshot & { changed: boolean };

export type HealthFailure = {
  /** The provider refused the credential (401/403). */
  authFailure: boolean;
  /** Already redacted by the caller: it is kept in memory, in Redis and shown on the integration. */
  message: string;
};

export type HealthConfig = {
  /** Consecutive failures that start a cooldown (≥ 1). */
  failureThreshold: number;
  /** First cooldown, ms; doubled for each further cooldown without a success in between. */
  cooldownMs: number;
  /** Cap on the doubled cooldown, ms. */
  maxCooldownMs: number;
};

export const DEFAULT_HEALTH_CONFIG: Readonly<HealthConfig> = { failureThreshold: 3, cooldownMs: 30_000, maxCooldownMs: 600_000 };

/** Defaults filled in; throws a RangeError on values that would disable or invert the rules. */
export function healthConfig(overrides: Partial<HealthConfig> = {}): HealthConfig {
  const config = { ...DEFAULT_HEALTH_CONFIG, ...overrides };
  if (!Number.isInteger(config.failureThreshold) || config.failureThreshold < 1) throw new RangeError('health failureThreshold must be an integer ≥ 1');
  if (!(config.cooldownMs > 0)) throw new RangeError('health cooldownMs must be > 0');
  if (!(config.maxCooldownMs >= config.cooldownMs)) throw new RangeError('health maxCooldownMs must be ≥ cooldownMs');
  return config;
}

/**
 * Consecutive-failure counter and cooldown per integration. The checks are synchronous and read
 * local state only (they run for every candidate of every request); the recorders may consult a
 * shared store. A failing or cooling-down integration is not a candidate: route with `isAvailable`.
 */
export abstract class HealthTracker {
  /** True while a cooldown runs. */
  abstract isCoolingDown(integrationId: string): boolean;
  /** Neither cooling down nor failing: the integration may be tried. */
  abstract isAvailable(integrationId: string): boolean;
  /** End of the running cooldown, or null (none, or failing). */
  abstract cooldownUntil(integrationId: string): number | null;
  /** A request through the integration succeeded: clears the counter, the cooldown growth, a cooldown and `failing`. */
  abstract recordSuccess(integrationId: string): Promise<HealthTransition>;
  /** A retryable failure (connect error, timeout, 429, 5xx) or an auth failure. */
  abstract recordFailure(integrationId: string, failure: HealthFailure): Promise<HealthTransition>;
  /** The credential was rotated or edited (or the integration removed): back to healthy, counters cleared; last error and success kept. */
  abstract reset(integrationId: string): Promise<void>;
  abstract snapshot(integrationId: string): HealthSnapshot;
}
