import { HealthConfig, HealthFailure, HealthSnapshot, HealthTracker, HealthTransition, healthConfig } from '../../application/limits/health-tracker.port';
import { applyFailure, applySuccess, clear, HealthEntry, isAvailableEntry, isCooling, newHealthEntry, runningCooldownEnd, snapshotOf, transitionOf } from '../../application/limits/health-rules';

/**
 * Per-process health (no REDIS_URL, or one instance). One small entry per integration that has
 * seen traffic; entries are updated in place.
 */
export class InMemoryHealthTracker implements HealthTracker {
  private readonly entries = new Map<string, HealthEntry>();
  private readonly config: HealthConfig;

  constructor(config: Partial<HealthConfig> = {}, private readonly now: () => number = Date.now) {
    this.config = healthConfig(config);
  }

  isCoolingDown(integrationId: string): boolean {
    return isCooling(this.entries.get(integrationId), this.now());
  }

  isAvailable(integrationId: string): boolean {
    return isAvailableEntry(this.entries.get(integrationId), this.now());
  }

  cooldownUntil(integrationId: string): number | null {
    return runningCooldownEnd(this.entries.get(integrationId), this.now());
  }

  async recordSuccess(integrationId: string): Promise<HealthTransition> {
    const now = this.now();
    const entry = this.entryFor(integrationId);
    return transitionOf(entry, now, applySuccess(entry, now));
  }

  async recordFailure(integrationId: string, failure: HealthFailure): Promise<HealthTransition> {
    const now = this.now();
    const entry = this.entryFor(integrationId);
    return transitionOf(entry, now, applyFailure(entry, failure, now, this.config));
  }

  async reset(integrationId: string): Promise<void> {
    const entry = this.entries.get(integrationId);
    if (entry) clear(entry);
  }

  snapshot(integrationId: string): HealthSnapshot {
    return snapshotOf(this.entries.get(integrationId), this.now());
  }

  private entryFor(integrationId: string): HealthEntry {
    let entry = this.entries.get(integrationId);
    if (!entry) this.entries.set(integrationId, (entry = newHealthEntry()));
    return entry;
  }
}
