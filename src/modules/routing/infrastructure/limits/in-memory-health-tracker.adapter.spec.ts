import { randomUUID } from 'node:crypto';
import { healthTrackerContract } from './health-tracker.contract';
import { InMemoryHealthTracker } from './in-memory-health-tracker.adapter';

describe('InMemoryHealthTracker', () => {
  healthTrackerContract((clock, config) => new InMemoryHealthTracker(config, clock.now), () => randomUUID());

  it('refuses a configuration that would disable the rules', () => {
    expect(() => new InMemoryHealthTracker({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => new InMemoryHealthTracker({ cooldownMs: 60_000, maxCooldownMs: 30_000 })).toThrow(RangeError);
  });
});
