import { Registry } from 'prom-client';
import { InMemoryHealthTracker } from '../limits/in-memory-health-tracker.adapter';
import { GatewayMetrics } from './gateway-metrics';
import { MeteredHealthTracker } from './metered-health-tracker';

const FAILURE = { authFailure: false, message: 'HTTP 500: upstream error' };

describe('MeteredHealthTracker', () => {
  let registry: Registry;
  let clock: number;
  let tracker: MeteredHealthTracker;
  const slugs: Record<string, string> = { 'int-1': 'openai-main', 'int-2': 'anthropic-prod' };
  const warnings: string[] = [];

  beforeEach(() => {
    registry = new Registry();
    clock = 1_000_000;
    warnings.length = 0;
    const inner = new InMemoryHealthTracker({ failureThreshold: 2, cooldownMs: 1_000, maxCooldownMs: 1_000 }, () => clock);
    tracker = new MeteredHealthTracker(inner, GatewayMetrics.of(registry), async (id) => slugs[id] ?? null, { warn: (m) => warnings.push(m) });
  });

  async function cooldowns(): Promise<Record<string, number>> {
    await new Promise((done) => setImmediate(done));
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'keyway_cooldowns_total');
    return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.provider_slug), v.value]));
  }

  it('counts a cooldown when it starts, under the integration slug, and not the failures before it', async () => {
    await tracker.recordFailure('int-1', FAILURE);
    expect(await cooldowns()).toEqual({});
    const transition = await tracker.recordFailure('int-1', FAILURE);
    expect(transition).toMatchObject({ changed: true, status: 'cooling_down' });
    expect(await cooldowns()).toEqual({ 'openai-main': 1 });
    expect(tracker.isCoolingDown('int-1')).toBe(true);
  });

  it('counts each new cooldown once', async () => {
    for (let i = 0; i < 2; i++) await tracker.recordFailure('int-2', FAILURE);
    clock += 1_500;
    for (let i = 0; i < 2; i++) await tracker.recordFailure('int-2', FAILURE);
    expect(await cooldowns()).toEqual({ 'anthropic-prod': 2 });
  });

  it('does not count an integration that starts failing on a refused credential', async () => {
    await tracker.recordFailure('int-1', { authFailure: true, message: 'HTTP 401' });
    expect(tracker.snapshot('int-1').status).toBe('failing');
    expect(await cooldowns()).toEqual({});
  });

  it('labels an integration that no longer exists as unknown', async () => {
    for (let i = 0; i < 2; i++) await tracker.recordFailure('int-gone', FAILURE);
    expect(await cooldowns()).toEqual({ unknown: 1 });
  });

  it('forwards success and reset to the wrapped tracker', async () => {
    for (let i = 0; i < 2; i++) await tracker.recordFailure('int-1', FAILURE);
    await tracker.reset('int-1');
    expect(tracker.isAvailable('int-1')).toBe(true);
    expect(await tracker.recordSuccess('int-1')).toMatchObject({ status: 'healthy' });
  });
});
