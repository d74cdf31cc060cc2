import type { HealthFailure, HealthSnapshot, HealthTracker, HealthTransition } from '../../application/limits/health-tracker.port';
import type { Registry } from 'prom-client';
import { GatewayMetrics } from './gateway-metrics';
import type { MetricsLogger } from './metered-activity-sink';

/** The provider slug of an integration, or null when it no longer exists. */
export type SlugOf = (integrationId: string) => Promise<string | null>;

/**
 * Counts cooldowns (`keyway_cooldowns_total`) as they start, and forwards everything else.
 * The tracker knows integrations by id only; the slug is looked up when a cooldown starts, which
 * is rare (at most once per integration per cooldown period), so it costs nothing on the hot path.
 * With a shared store exactly one instance sees each transition, so a cooldown is counted once.
 */
export class MeteredHealthTracker implements HealthTracker {
  constructor(
    private readonly inner: HealthTracker,
    private readonly metrics: GatewayMetrics,
    private readonly slugOf: SlugOf,
    private readonly logger: MetricsLogger,
  ) {}

  isCoolingDown(integrationId: string): boolean {
    return this.inner.isCoolingDown(integrationId);
  }

  isAvailable(integrationId: string): boolean {
    return this.inner.isAvailable(integrationId);
  }

  cooldownUntil(integrationId: string): number | null {
    return this.inner.cooldownUntil(integrationId);
  }

  recordSuccess(integrationId: string): Promise<HealthTransition> {
    return this.inner.recordSuccess(integrationId);
  }

  async recordFailure(integrationId: string, failure: HealthFailure): Promise<HealthTransition> {
    const transition = await this.inner.recordFailure(integrationId, failure);
    if (transition.changed && transition.status === 'cooling_down') this.countCooldown(integrationId);
    return transition;
  }

  reset(integrationId: string): Promise<void> {
    return this.inner.reset(integrationId);
  }

  snapshot(integrationId: string): HealthSnapshot {
    return this.inner.snapshot(integrationId);
  }

  private countCooldown(integrationId: string): void {
    this.slugOf(integrationId)
      .then((slug) => this.metrics.recordCooldown(slug ?? 'unknown'))
      .catch((error: unknown) => this.logger.warn(`metrics: could not count the cooldown of ${integrationId}: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** Where the slug of an integration is read (the integrations module's repository). */
export type IntegrationLookup = { findById(id: string): Promise<{ providerSlug: string } | null> };

/** `inner` counting its cooldowns on `registry`. */
export function meteredHealthTracker(inner: HealthTracker, registry: Registry, integrations: IntegrationLookup, logger: MetricsLogger): HealthTracker {
  return new MeteredHealthTracker(inner, GatewayMetrics.of(registry), async (id) => (await integrations.findById(id))?.providerSlug ?? null, logger);
}
